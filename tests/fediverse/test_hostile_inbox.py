"""Whatever a remote server sends the inbox (JSON of any shape, signature headers of any
form), the answer is a 4xx or a 202, never a 500, and nothing is stored unsigned."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import host
from tests.fediverse.conftest import AP, followers_of

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["type", "actor", "object", "id", "to"]), children)
    ),
    max_leaves=12,
)
header_text = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            'keyId="http://127.0.0.1:1/x",headers="(request-target) host date",signature="!!"',
            'keyId="",signature=""',
            "sig1=:AAAA:",
            'sig1=("@method");created=1;keyid="http://169.254.169.254/"',
            'sig1=("@method" "@target-uri");created=99999999999;keyid="x"',
        ]
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    activity=json_values,
    signature=header_text,
    signature_input=st.none() | header_text,
    digest=st.none() | header_text,
)
def test_hostile_activities_never_break_the_inbox(
    alpha, activity, signature, signature_input, digest
):
    headers = {"HTTP_SIGNATURE": signature}
    if signature_input is not None:
        headers["HTTP_SIGNATURE_INPUT"] = signature_input
    if digest is not None:
        headers["HTTP_DIGEST"] = digest
        headers["HTTP_CONTENT_DIGEST"] = digest
    client = Client(HTTP_HOST=host(alpha))
    headers = {k: v.encode("utf-8", "surrogatepass").decode("latin-1") for k, v in headers.items()}

    answer = client.generic("POST", "/ap/inbox", json.dumps(activity), content_type=AP, **headers)

    assert 400 <= answer.status_code < 500
    assert followers_of(alpha) == []
