from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image as PILImage


@pytest.fixture
def export_path():
    path = Path(settings.GACETA_DEMO_DATA) / "data" / "wordpress" / "themeunittestdata.wordpress.xml"
    if not path.exists():
        pytest.fail(f"WordPress's theme test export is missing at {path}; set GACETA_DEMO_DATA.")
    return path


@pytest.fixture
def media_dir(tmp_path):
    """The uploads folder as a newsroom would copy it, with one photo of the export in it; the
    photographer's name is in the file, as cameras and agencies write it."""
    folder = tmp_path / "uploads"
    (folder / "2008" / "06").mkdir(parents=True)
    picture = PILImage.new("RGB", (800, 600), "#557799")
    exif = picture.getexif()
    exif[0x013B] = "Ana Perez"
    picture.save(folder / "2008" / "06" / "100_5478.jpg", format="JPEG", exif=exif)
    return folder
