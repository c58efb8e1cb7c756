"""Turning WordPress content (classic HTML, Gutenberg blocks, shortcodes) into StreamField blocks."""

from gaceta.wordpress.comments import comment_text
from gaceta.wordpress.content import ImageInfo, convert_content

IMAGES = {7: ImageInfo("https://site.example/wp-content/uploads/2020/01/a.jpg", 70, "Attachment caption", "Agency"),
          8: ImageInfo("https://site.example/wp-content/uploads/2020/01/b.jpg", 80),
          9: ImageInfo("https://site.example/wp-content/uploads/2020/01/c.jpg", None)}


def find(attachment_id, url):
    if attachment_id in IMAGES:
        return IMAGES[attachment_id]
    return next((info for info in IMAGES.values() if info.url == url), None)


def kinds(result):
    return [block["type"] for block in result.blocks]


def test_classic_paragraphs_are_made_from_blank_lines():
    result = convert_content("First line\nsame paragraph.\n\nSecond <em>one</em>.", find)
    assert result.blocks == [
        {"type": "paragraph", "value": "<p>First line<br>\nsame paragraph.</p>"},
        {"type": "paragraph", "value": "<p>Second <em>one</em>.</p>"},
    ]


def test_caption_shortcode_with_media_credit_becomes_a_captioned_image():
    content = ('[caption id="attachment_8" width="600"][media-credit name="Rosa Luna" width="600"]'
               '<img class="wp-image-8" src="https://site.example/b.jpg" />[/media-credit] Farmers on the road.[/caption]')
    result = convert_content(content, find)
    assert result.blocks == [{"type": "image", "value": {"image": 80, "caption": "Farmers on the road.", "credit": "Rosa Luna"}}]


def test_image_without_a_caption_takes_the_attachments_caption_and_credit():
    result = convert_content('<p><img class="alignnone wp-image-7" src="x.jpg" alt=""></p>', find)
    assert result.blocks == [{"type": "image", "value": {"image": 70, "caption": "Attachment caption", "credit": "Agency"}}]


def test_gallery_shortcode_and_missing_images_are_reported():
    result = convert_content('[gallery ids="7,9"]\n\n<img src="https://elsewhere.example/hotlinked.jpg">', find)
    assert kinds(result) == ["image"]
    assert result.missing_media == ["https://site.example/wp-content/uploads/2020/01/c.jpg",
                                    "https://elsewhere.example/hotlinked.jpg"]


def test_gallery_without_ids_shows_the_posts_own_images():
    result = convert_content("[gallery]", find, gallery_ids=[8, 7])
    assert [block["value"]["image"] for block in result.blocks] == [80, 70]


def test_gutenberg_blocks_and_layouts_are_flattened():
    content = """<!-- wp:heading {"level":4} --><h4>Why it matters</h4><!-- /wp:heading -->
<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column --><div class="wp-block-column">
<!-- wp:paragraph --><p>Left column.</p><!-- /wp:paragraph --></div><!-- /wp:column -->
<!-- wp:column --><div class="wp-block-column"><!-- wp:list --><ul><li>One</li><li>Two</li></ul><!-- /wp:list --></div>
<!-- /wp:column --></div><!-- /wp:columns -->
<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Water is life.</p><cite>A farmer</cite></blockquote></figure><!-- /wp:pullquote -->
<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->
<!-- wp:code --><pre class="wp-block-code"><code>print("&lt;b&gt;")</code></pre><!-- /wp:code -->
<!-- wp:table --><figure class="wp-block-table"><table><tr><th>State</th><th>Roads</th></tr><tr><td>Sonora</td><td>4</td></tr></table></figure><!-- /wp:table -->
<!-- wp:buttons --><div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link" href="https://site.example/donate">Donate</a></div></div><!-- /wp:buttons -->
<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=abc
</div></figure><!-- /wp:embed -->
<!-- wp:latest-posts /-->"""
    result = convert_content(content, find)
    assert kinds(result) == ["paragraph", "paragraph", "paragraph", "quote", "separator", "code", "table", "paragraph", "embed"]
    values = [block["value"] for block in result.blocks]
    assert values[0] == "<h3>Why it matters</h3>"
    assert values[2] == "<ul><li>One</li><li>Two</li></ul>"
    assert values[3] == {"text": "Water is life.", "attribution": "A farmer"}
    assert values[5] == 'print("<b>")'
    assert values[6]["data"] == [["State", "Roads"], ["Sonora", "4"]] and values[6]["first_row_is_table_header"]
    assert values[7] == '<p><a href="https://site.example/donate">Donate</a></p>'
    assert values[8] == "https://www.youtube.com/watch?v=abc"
    assert result.dropped["block latest-posts"] == 1


def test_html_is_sanitised():
    content = ('<p onclick="steal()">Hi <a href="javascript:alert(1)">there</a> <a href="https://ok.example" '
               'style="color:red">ok</a><script>alert(1)</script></p><iframe src="javascript:alert(2)"></iframe>')
    result = convert_content(content, find)
    assert result.blocks == [{"type": "paragraph", "value": '<p>Hi <a>there</a> <a href="https://ok.example">ok</a></p>'}]


def test_unknown_shortcodes_go_but_their_text_stays_and_brackets_in_prose_stay():
    result = convert_content('[su_box title="Note"]Keep this.[/su_box] A word [sic] and a [simple boat]. [contact-form-7 id="3"]', find)
    assert result.blocks == [{"type": "paragraph", "value": "<p>Keep this. A word [sic] and a [simple boat].</p>"}]
    assert result.dropped == {"[su_box]": 1, "[contact-form-7]": 1}


def test_audio_files_are_dropped_and_video_sites_embedded():
    result = convert_content('[audio src="https://site.example/a.mp3"]\n\n[video src="https://vimeo.com/123"][/video]', find)
    assert result.blocks == [{"type": "embed", "value": "https://vimeo.com/123"}]
    assert result.dropped["[audio]"] == 1


def test_first_sentence_for_a_summary():
    result = convert_content("<p>Truckers blocked highways on Monday. Farmers joined them.</p>", find)
    assert result.first_sentence() == "Truckers blocked highways on Monday."


def test_comment_html_becomes_text_with_its_paragraphs():
    assert comment_text("<p>First <b>point</b>.</p><p>Second<br>line &amp; more</p>") == "First point.\n\nSecond line & more"
    assert comment_text("Plain &amp; simple") == "Plain & simple"


def test_a_list_or_heading_on_the_line_after_text_gets_no_line_breaks():
    """As WordPress's wpautop: a block tag starts a new paragraph even without a blank line, so
    no <br> goes between list items or after a heading; a definition list keeps its terms apart."""
    content = ("A few things to check:\n<ul>\n\t<li>The title</li>\n\t<li>The tab</li>\n</ul>\n"
               "<h3>Next</h3>\nLast line\nof text.\n<dl>\n<dt>Term</dt>\n<dd>Its <em>meaning</em></dd>\n</dl>\n"
               "<pre>code\n\n  indented</pre>")
    result = convert_content(content, find)
    assert [block["value"] for block in result.blocks] == [
        "<p>A few things to check:</p>",
        "<ul>\n<li>The title</li>\n<li>The tab</li>\n</ul>",
        "<h3>Next</h3>",
        "<p>Last line<br>\nof text.</p>",
        "<p><strong>Term</strong></p>",
        "<p>Its <em>meaning</em></p>",
        "code\n\n  indented",
    ]
