import re

import pytest
from PIL import Image as PILImage

from tests.conftest import make_image, publish_article

pytestmark = pytest.mark.django_db


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def test_images_are_responsive_webp_with_size_and_lazy_below_the_fold(client, sections):
    article = publish_article(sections["politics"], "Photo story", image=make_image("lead", alt="The lead photo"))
    publish_article(sections["politics"], "Card story", image=make_image("card", alt="A card photo"))
    html = client.get(article.url).text
    lead, card = pictures(html)[:2]
    assert 'type="image/webp"' in lead and ".webp 800w" in lead
    assert re.search(r'<img alt="The lead photo"[^>]*height="\d+"[^>]*width="\d+"', lead)
    assert 'sizes="' in lead and 'srcset="' in lead
    assert 'loading="lazy"' not in lead and 'fetchpriority="high"' in lead
    assert 'loading="lazy"' in card and 'alt="A card photo"' in card


def test_crops_keep_the_focal_point(db):
    # A wide image, red on the left and blue on the right, with its focal point on the right.
    picture = PILImage.new("RGB", (1600, 400), (255, 0, 0))
    picture.paste((0, 0, 255), (800, 0, 1600, 400))
    image = make_image("focal", picture=picture, focal=(1400, 200, 100, 100))
    rendition = image.get_rendition("fill-200x200-c100")
    with rendition.file.open() as handle:
        red, _, blue = PILImage.open(handle).convert("RGB").getpixel((100, 100))
    assert blue > 200 and red < 50
