"""Headless Chromium (Debian's chromium and chromedriver) through selenium, for the tests that
need a real browser: the web pattern page and the `calkit serve` app. The page's colours go
through Chromium's sRGB pipeline untouched (--force-color-profile=srgb), as docs/patterns.md
says they must for measuring."""
import io

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def start(width=640, height=480):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--force-color-profile=srgb",
                 "--hide-scrollbars", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def pixels(driver):
    """The screenshot as a PIL RGB image."""
    return Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
