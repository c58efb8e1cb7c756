from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(help_text="The image's description is used as its alt text.")
    caption = blocks.CharBlock(required=False, help_text="What the photo shows, as a sentence.")
    credit = blocks.CharBlock(required=False, help_text="Who took it, e.g. “@Sedena/Twitter”.")

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
        template="blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    preview_break = blocks.StaticBlock(
        label="Preview break",
        admin_text="Readers who may not read the whole story see what stands above this line, "
        "then the invitation to sign up or subscribe.",
        template="blocks/preview_break_block.html",
    )
    embed = EmbedBlock(
        help_text="A link to a post or video (YouTube, X, Instagram…).",
        template="blocks/embed_block.html",
    )
    table = TableBlock(help_text="A table of figures or facts; the first row can be its header.")
    code = blocks.TextBlock(
        help_text="Code or preformatted text, shown exactly as written.", template="blocks/code_block.html"
    )
    separator = blocks.StaticBlock(
        admin_text="A line between two parts of the story.", template="blocks/separator_block.html"
    )
