"""Proposal photos move under the portal's private prefix: a photo nobody has checked yet
must not be reachable at a public /media/ address."""

from django.db import migrations, models

OLD_FOLDER = "proposals/"
NEW_FOLDER = "private/proposals/"


def move_photos(apps, schema_editor) -> None:
    """Copy each photo under ``private/``, point the row at it, delete the public file.

    Runs per schema (the storage follows the connection's schema); a file already gone
    is skipped, so a second run finds nothing to do."""
    ProposalPhoto = apps.get_model("proposals", "ProposalPhoto")
    storage = ProposalPhoto._meta.get_field("image").storage
    for photo in ProposalPhoto.objects.exclude(image__startswith=NEW_FOLDER).iterator():
        old_name = photo.image.name
        if not old_name or not storage.exists(old_name):
            continue
        with storage.open(old_name, "rb") as source:
            new_name = storage.save(NEW_FOLDER + old_name.removeprefix(OLD_FOLDER), source)
        ProposalPhoto.objects.filter(pk=photo.pk).update(image=new_name)
        storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="proposalphoto",
            name="image",
            field=models.ImageField(
                height_field="height",
                upload_to="private/proposals/%Y/%m/",
                verbose_name="photo",
                width_field="width",
            ),
        ),
        migrations.RunPython(move_photos, migrations.RunPython.noop),
    ]
