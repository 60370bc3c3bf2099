"""MEDIA_STORAGE is read from the environment: files by default, s3 with its bucket, and a
clear French refusal otherwise."""

from __future__ import annotations

import pytest

from tests.security.test_deploy_settings import run

pytestmark = pytest.mark.s3

SHOW = [
    "-c",
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'core.settings'; "
    "from django.conf import settings; d = settings.STORAGES['default']; "
    "print(d['BACKEND'], d.get('OPTIONS', {}).get('bucket_name'), "
    "d.get('OPTIONS', {}).get('location'))",
]


def test_the_file_system_stays_the_default():
    result = run(SHOW)

    assert result.stdout.split()[0] == "tenants.media.TenantFolderStorage"


def test_s3_uses_the_bucket_and_prefix_from_the_environment():
    result = run(SHOW, MEDIA_STORAGE="s3", MEDIA_S3_BUCKET="quartiers-medias")

    assert result.stdout.split() == ["tenants.media.TenantS3Storage", "quartiers-medias", "media"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 exige MEDIA_S3_BUCKET"),
        ({"MEDIA_STORAGE": "ftp"}, "n'est pas reconnu"),
    ],
)
def test_a_wrong_media_storage_is_refused_in_one_french_line(env, message):
    result = run(["manage.py", "check"], **env)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr
