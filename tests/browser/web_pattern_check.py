"""`calkit pattern show --pattern web:port=0` painted by headless Chromium: the screenshot's
pixels must be the patch's 8-bit codes exactly (centre) and the background's (corner).
usage: web_pattern_check.py CALKIT SCREENSHOT_DIR"""
import os
import re
import subprocess
import sys
import time

import browser

calkit, shots = sys.argv[1], sys.argv[2]
# (codes, bits, window %, background): expected centre and corner pixels at 8 bits.
cases = [
    ("200,100,50", 8, 100, "black", (200, 100, 50), (200, 100, 50)),
    ("1,254,128", 8, 10, "black", (1, 254, 128), (0, 0, 0)),
    ("512,1023,0", 10, 20, "grey:0.5", (128, 255, 0), (128, 128, 128)),
    # Rounded to the nearest 8-bit code (3·255/1023 = 0.75, 1022·255/1023 = 254.75), not truncated.
    ("3,601,1022", 10, 20, "black", (1, 150, 255), (0, 0, 0)),
]
driver = browser.start()
failures = 0
try:
    for n, (codes, bits, window, background, centre, corner) in enumerate(cases):
        run = subprocess.Popen([calkit, "pattern", "show", "--pattern", "web:port=0", "--rgb", codes,
                                "--bits", str(bits), "--window", str(window), "--background", background,
                                "--hold", "30"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        line = run.stderr.readline()
        url = re.search(r"http://\S+", line).group(0)
        driver.get(url)
        deadline = time.time() + 10
        while True:
            image = browser.pixels(driver)
            w, h = image.size
            got_centre, got_corner = image.getpixel((w // 2, h // 2)), image.getpixel((2, h - 3))
            if (got_centre, got_corner) == (centre, corner) or time.time() > deadline:
                break
            time.sleep(0.1)
        image.save(os.path.join(shots, f"web-pattern-{n}.png"))
        ok = (got_centre, got_corner) == (centre, corner)
        print(f"{codes} at {bits} bits, window {window} %, {background}: centre {got_centre} corner {got_corner}"
              f" {'ok' if ok else 'WRONG, wanted ' + str((centre, corner))}")
        failures += not ok
        run.terminate()
        run.wait()
finally:
    driver.quit()
sys.exit(1 if failures else 0)
