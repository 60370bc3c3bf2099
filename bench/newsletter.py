"""Sending one issue to 10,000 subscribers through a local SMTP server.

    .venv/bin/python bench/newsletter.py [--subscribers 10000] [--batch-size 200]

Opens a bench portal, gives it confirmed subscribers, publishes an issue, then sends it
with the real sending code (render once, a delivery row per recipient, batches over one
SMTP connection each) to an aiosmtpd server on 127.0.0.1 that accepts and counts each
message. Prints the time and messages per second. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"

import django

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from newsletter import sending  # noqa: E402
from newsletter.models import NewsletterIndexPage, NewsletterPage, Subscriber  # noqa: E402
from tenants.factories import PortalSpecFactory  # noqa: E402
from tenants.provisioning import provision_neighbourhood  # noqa: E402
from tenants.template_schema import ensure_template_schema  # noqa: E402


class Counter:
    """Accepts every message and counts it (parsing would measure the server, not us)."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=settings.NEWSLETTER_BATCH_SIZE)
    args = parser.parse_args()

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    ensure_template_schema(verbosity=0)
    portal = provision_neighbourhood(
        PortalSpecFactory(slug="benchinfolettre", name="Bench Infolettre", invite=False)
    ).neighbourhood
    try:
        with tenant_context(portal):
            now = timezone.now()
            Subscriber.objects.bulk_create(
                Subscriber(
                    email=f"voisin{n}@example.org",
                    status=Subscriber.Status.ACTIVE,
                    topics=["news", "agenda"],
                    confirmed_at=now,
                )
                for n in range(args.subscribers)
            )
            index = NewsletterIndexPage.objects.get()
            page = NewsletterPage(
                title="Infolettre de bench",
                intro="<p>Les nouvelles du quartier.</p>",
                body=[
                    ("heading", {"text": "Ce mois-ci", "level": "h2"}),
                    ("paragraph", "<p>Un paragraphe avec <a href='/agenda/'>un lien</a>.</p>"),
                    ("latest", {"source": "news", "title": "", "limit": 5}),
                ],
            )
            index.add_child(instance=page)
            page.save_revision().publish()
            dispatch = sending.schedule(page, None)

            started = time.perf_counter()
            dispatch = sending.start(dispatch)
            prepared = time.perf_counter()
            report = sending.send_batches(dispatch, batch_size=args.batch_size)
            finished = time.perf_counter()
    finally:
        controller.stop()
        portal.delete(force_drop=True)

    total = finished - started
    print(f"Envoi d'un numéro à {args.subscribers} abonné·es, lots de {args.batch_size} :")
    print()
    print("| messages | reçus par le serveur | préparation (s) | envoi (s) | total (s) | msg/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {report.sent} | {counter.count} | {prepared - started:.2f} | "
        f"{finished - prepared:.2f} | {total:.2f} | {report.sent / total:.0f} |"
    )


if __name__ == "__main__":
    main()
