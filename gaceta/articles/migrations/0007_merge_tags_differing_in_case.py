"""Tags became case-insensitive (TAGGIT_CASE_INSENSITIVE): tags made before, whose names differ
only in case ("China" and "china", one story each), become one. The tag kept is the one on most
stories; the others' stories move to it, and their addresses redirect to its page."""

from collections import defaultdict

from django.db import migrations

from gaceta.core.cache import bump_content_generation


def merge_tags_differing_in_case(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    ArticleTag = apps.get_model("articles", "ArticleTag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")  # images' and documents' tags
    Redirect = apps.get_model("wagtailredirects", "Redirect")
    groups = defaultdict(list)
    for tag in Tag.objects.order_by("pk"):
        groups[tag.name.lower()].append(tag)
    merged = [tags for tags in groups.values() if len(tags) > 1]
    for tags in merged:
        keep, *others = sorted(tags, key=lambda tag: (-ArticleTag.objects.filter(tag=tag).count(), tag.pk))
        for other in others:
            tagged = set(ArticleTag.objects.filter(tag=keep).values_list("content_object_id", flat=True))
            ArticleTag.objects.filter(tag=other, content_object_id__in=tagged).delete()
            ArticleTag.objects.filter(tag=other).update(tag=keep)
            items = set(TaggedItem.objects.filter(tag=keep).values_list("content_type_id", "object_id"))
            for item in TaggedItem.objects.filter(tag=other):
                if (item.content_type_id, item.object_id) in items:
                    item.delete()
                else:
                    item.tag = keep
                    item.save(update_fields=["tag"])
            old_path = f"/tags/{other.slug}"  # as Redirect.normalise_path writes it
            if not Redirect.objects.filter(site=None, old_path=old_path).exists():
                Redirect.objects.create(old_path=old_path, site=None, is_permanent=True, redirect_link=f"/tags/{keep.slug}/")
            other.delete()
    if merged:  # cached tag pages and cards show the merged tags
        bump_content_generation()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_body_blocks"),
        ("core", "0004_cache_tag"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(merge_tags_differing_in_case, migrations.RunPython.noop)]
