"""The import of WordPress's own theme test export (posts, pages, comments, media, old links)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image

from gaceta.search.models import Passage
from gaceta.articles.models import ArticlePage, SectionPage, StandardPage
from gaceta.comments.models import Comment
from gaceta.frontpage.models import PinnedStory
from gaceta.wordpress.models import ImportedRecord

# Each test imports a whole WordPress export: slow as a module, left out of `make test-quick`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

WP = "{https://wordpress.org/export/1.2/}"


def run_import(path, *args) -> str:
    out = StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def article(wordpress_id) -> ArticlePage:
    record = ImportedRecord.objects.get(kind="post", wordpress_id=wordpress_id)
    return ArticlePage.objects.get(pk=record.page_id)


def test_counts_per_type(export_path):
    output = run_import(export_path, "--section-map", "Markup=markup", "Uncategorized=news")

    # 56 published posts (two of them share a GUID in the export), one draft, one scheduled.
    assert ArticlePage.objects.filter(live=True).count() == 56
    assert ArticlePage.objects.filter(live=False).count() == 2
    assert StandardPage.objects.filter(live=True).count() == 21
    # Comments on posts: 28, less 2 pingbacks and 2 trackbacks; the one held for moderation waits.
    assert Comment.objects.count() == 24
    assert Comment.objects.filter(status="pending").count() == 1
    assert "Failed: 0" in output
    assert "Missing media: 35" in output  # no --media-dir: every photo is reported
    assert "70 nav_menu_item record(s) not imported" in output
    # Categories go to sections by the map; the others are tags.
    markup = SectionPage.objects.get(slug="markup")
    assert ArticlePage.objects.child_of(markup).filter(title="Markup: HTML Tags and Formatting").exists()
    # Drafts are neither public nor searchable; members-only posts are marked so.
    assert not Passage.objects.filter(article__live=False).exists()
    assert article(1168).visibility == "members"
    # The sticky post leads the front page's top stories.
    assert PinnedStory.objects.filter(article=article(1241)).exists()


def test_post_dates_author_summary_and_tags(export_path):
    run_import(export_path)
    story = article(1163)  # "Post Format: Image (Caption)", 2010-08-07 06:00:19 on the site's clock
    assert story.slug == "post-format-image-caption"
    assert story.first_published_at.isoformat() == "2010-08-07T13:00:19+00:00"
    assert [author.name for author in story.byline_authors()] == ["Theme Buster"]
    assert article(993).dek == "This is a user-defined post excerpt."
    assert article(1000).dek == "Nested and mixed lists are an interesting beast."  # no excerpt: the first sentence
    assert {"Post Formats"} <= set(story.tags.names())  # an unmapped category is kept as a tag


def test_blocks_of_a_post_render(export_path, client):
    run_import(export_path)
    story = ArticlePage.objects.get(title="Markup: HTML Tags and Formatting")
    kinds = [block.block_type for block in story.body]
    assert {"paragraph", "quote", "code", "table"} <= set(kinds)
    response = client.get(story.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h2>Headings</h2>" in page or "<h2>" in page
    assert '<pre class="code-block">' in page and "<table" in page and "<blockquote>" in page
    assert "<!-- wp:" not in page and "[caption" not in page


def test_no_gutenberg_comment_or_shortcode_reaches_any_page(export_path, client):
    run_import(export_path)
    for page in [*ArticlePage.objects.live(), *StandardPage.objects.live()]:
        for block in page.body:
            if block.block_type == "code":
                # A code sample may show block markup as text: it is printed escaped.
                assert "<!--" not in block.render()
                continue
            raw = str(block.value if block.block_type != "paragraph" else block.value.source)
            assert "<!-- wp:" not in raw and "[gallery" not in raw and "[caption" not in raw, page.title


def test_a_caption_becomes_a_captioned_image_with_its_credit(export_path, media_dir):
    output = run_import(export_path, "--media-dir", str(media_dir))
    story = article(1163)
    [image_block] = [block for block in story.body if block.block_type == "image"]
    assert image_block.value["caption"] == "Bell on wharf in San Francisco"
    assert image_block.value["credit"] == "Ana Perez"
    image = image_block.value["image"]
    assert image.description == "Bell on Wharf"  # the alt text
    assert Image.objects.count() == 1
    assert "Missing media: 34" in output


def test_comments_keep_their_threads_authors_and_dates(export_path, client, django_user_model):
    run_import(export_path)
    story = article(1148)  # "Template: Comments": a reply chain ten deep
    comments = {
        record.wordpress_id: record.comment
        for record in ImportedRecord.objects.filter(kind="comment", comment__article=story).select_related("comment")
    }
    assert len(comments) == 20
    assert comments[905].parent == comments[904]
    assert comments[915].parent == comments[914]
    depth, comment = 0, comments[915]
    while comment.parent:
        depth, comment = depth + 1, comment.parent
    assert depth == 9  # 904 ← 905 ← 906 ← 907 ← 910 ← … ← 915
    first = comments[881]
    assert first.member is None and first.author_name == "John Γιάννης Doe Κάποιος"
    assert first.created_at.isoformat() == "2012-09-03T17:18:04+00:00"
    # Pingbacks and trackbacks are not comments.
    assert article(1149).comments.count() == 1
    # On the page, the imported author's name shows (staff may read comments whatever the setting).
    client.force_login(django_user_model.objects.create_user("editor", "editor@example.org", is_staff=True))
    page = client.get(story.url).content.decode()
    assert "John Γιάννης Doe Κάποιος" in page and "Former member" not in page


def test_old_links_redirect_permanently(export_path, client):
    run_import(export_path)
    story = article(1163)
    for old in ["/2010/08/07/post-format-image-caption/", "/2010/08/post-format-image-caption/", "/?p=1163"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == story.url
    about = StandardPage.objects.get(title="About The Tests")
    response = client.get("/?page_id=2")
    assert response.status_code == 301 and response["Location"] == about.url
    assert Redirect.objects.filter(redirect_page=story, is_permanent=True).count() >= 3


def test_second_run_adds_nothing_and_a_change_is_updated(export_path, tmp_path):
    run_import(export_path)
    counts = [model.objects.count() for model in (ArticlePage, StandardPage, Comment, Redirect, ImportedRecord, Passage)]
    output = run_import(export_path)
    assert [model.objects.count() for model in (ArticlePage, StandardPage, Comment, Redirect, ImportedRecord, Passage)] == counts
    assert "Imported: none" in output and "58 posts already imported" in output

    tree = etree.parse(str(export_path), etree.XMLParser(resolve_entities=False, strip_cdata=False))
    item = next(item for item in tree.iter("item") if item.findtext(f"{WP}post_id") == "1163")
    item.find("title").text = "Bell on the wharf, retitled"
    quiet = next(item for item in tree.iter("item") if item.findtext(f"{WP}post_id") == "1170")
    comment = etree.SubElement(quiet, f"{WP}comment")
    for name, value in [("comment_id", "5000"), ("comment_author", "Late Reader"), ("comment_date_gmt", "2024-05-01 10:00:00"),
                        ("comment_content", "Still relevant."), ("comment_approved", "1"), ("comment_parent", "927")]:
        etree.SubElement(comment, f"{WP}{name}").text = value
    changed = tmp_path / "changed.xml"
    tree.write(str(changed), encoding="UTF-8", xml_declaration=True)
    output = run_import(changed)
    assert "Updated: 1 posts" in output
    assert article(1163).title == "Bell on the wharf, retitled"
    assert ArticlePage.objects.count() == counts[0]
    # A comment written since the first export joins its thread on an otherwise unchanged post.
    late = Comment.objects.get(imported_author_name="Late Reader")
    assert late.article == article(1170) and late.parent.article == article(1170)
    assert Comment.objects.count() == counts[2] + 1


def test_a_broken_item_is_reported_and_the_rest_imported(export_path, tmp_path):
    tree = etree.parse(str(export_path), etree.XMLParser(resolve_entities=False, strip_cdata=False))
    item = next(item for item in tree.iter("item") if item.findtext(f"{WP}post_id") == "1170")
    item.find(f"{WP}post_date_gmt").text = "the day before yesterday"
    broken = tmp_path / "broken.xml"
    tree.write(str(broken), encoding="UTF-8", xml_declaration=True)

    output = run_import(broken)
    assert "Failed: 1" in output
    assert "item 1170: unreadable date" in output
    assert not ImportedRecord.objects.filter(wordpress_id=1170, kind="post").exists()
    assert ArticlePage.objects.filter(live=True).count() == 55


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    junk = tmp_path / "junk.xml"
    junk.write_text("<html><body>not an export")
    with pytest.raises(CommandError, match="not well-formed|not a WordPress export"):
        run_import(junk)


def test_entities_in_the_file_are_not_expanded(tmp_path, front_page):
    """An export is untrusted: an external entity must not read a local file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    export = tmp_path / "evil.xml"
    export.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>
<rss xmlns:wp="https://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<item><title>Leak &leak;</title><guid>https://example.org/?p=1</guid><wp:post_id>1</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_date>2020-01-01 10:00:00</wp:post_date>
<content:encoded>Hello &leak;</content:encoded></item></channel></rss>""")
    run_import(export)
    story = ArticlePage.objects.get()
    assert "TOP SECRET" not in story.title and "TOP SECRET" not in str(story.body.raw_data)


def test_a_category_and_a_tag_of_one_name_become_one_tag(export_path):
    """WordPress keeps categories and tags apart ("Markup" and "markup"); here both are tags, so
    the export's pairs must not become two tags that differ only in case."""
    from taggit.models import Tag

    run_import(export_path)
    names = [name.lower() for name in Tag.objects.values_list("name", flat=True)]
    assert names and len(names) == len(set(names))
    assert "markup" in names
