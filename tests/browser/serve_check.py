"""`calkit serve` driven in headless Chromium as a user would: the token is required, the live
meter's readings change as the simulated display's menu is used, a calibration runs to its end
with its progress rising, the report opens, and a run cut short by killing the server resumes
from the page once the server is started again. Screenshots of each page go to SHOTS.
usage: serve_check.py CALKIT RUNS_DIR SHOTS"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser

calkit, runs_dir, shots = sys.argv[1:4]


def start_server():
    server = subprocess.Popen([calkit, "serve", "--port", "0", "--dir", runs_dir], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().split(": ", 1)[1].strip()
    return server, url


def status_of(url):
    try:
        return urllib.request.urlopen(url).status
    except urllib.error.HTTPError as e:
        return e.code


def wait_for(what, check, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.15)
    raise AssertionError("timed out waiting for " + what)


def text(driver, css):
    elements = driver.find_elements(By.CSS_SELECTOR, css)
    return elements[0].text if elements else ""


def first_run(driver):
    """(id, status, progress %) of the newest run on the page, or None. Read in one script: the
    table is redrawn several times a second."""
    return driver.execute_script("""
        const row = document.querySelector('tr.run');
        if (!row) return null;
        return [row.dataset.id, row.querySelector('.status').textContent,
                parseFloat(row.querySelector('.progress').textContent)];""")


def set_value(driver, element_id, value):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(str(value))


def choose(driver, probe, display, patches, speed):
    wait_for("the setup options", lambda: driver.find_elements(By.CSS_SELECTOR, "#probe option"))
    Select(driver.find_element(By.ID, "probe")).select_by_visible_text(probe)
    Select(driver.find_element(By.ID, "display")).select_by_visible_text(display)
    set_value(driver, "patches", patches)
    set_value(driver, "sim-speed", speed)


def shot(driver, name):
    driver.save_screenshot(os.path.join(shots, name))


checks = []


def check(ok, message):
    checks.append(ok)
    print(("ok    " if ok else "FAIL  ") + message, flush=True)


server, url = start_server()
base = url.split("?")[0]
driver = browser.start(1280, 900)
try:
    # Without the token, or with another, every request is refused.
    check(status_of(base) == 403, "a request without the token is refused (403)")
    check(status_of(base + "api/runs?token=0000") == 403, "a request with a wrong token is refused (403)")
    check(status_of(url) == 200, "the printed address (with its token) opens")

    driver.get(url)
    choose(driver, "sim", "sim:ips-lcd", 300, 200)
    shot(driver, "serve-setup.png")

    # The live meter: readings arrive, and the simulated display's menu changes them.
    driver.find_element(By.ID, "meter-start").click()
    wait_for("meter readings", lambda: int(text(driver, "#meter-count") or 0) >= 3)
    before = float(text(driver, "#meter-nits"))
    for _ in range(5):
        driver.find_element(By.CSS_SELECTOR, "[data-key='l']").click()
    after = wait_for("the light to drop", lambda: (lambda v: v if v < before * 0.95 else None)(
        float(text(driver, "#meter-nits"))), timeout=20)
    check(after < before, f"the live meter follows the light control: {before:.1f} -> {after:.1f} cd/m²")
    check("lower" in text(driver, "#meter-guidance"), "the meter says which control to move")
    shot(driver, "serve-meter.png")
    driver.find_element(By.ID, "meter-stop").click()

    # A calibration to its end, its progress rising.
    driver.find_element(By.ID, "run-start").click()
    seen, mid_shot = [], False
    def finished():
        global mid_shot
        run = first_run(driver)
        if run:
            seen.append(run[2])
            if not mid_shot and 20 < run[2] < 90:
                shot(driver, "serve-run.png")
                mid_shot = True
        return run if run and run[1] in ("finished", "failed") else None
    run_id, status, _ = wait_for("the calibration to finish", finished, timeout=120)
    check(status == "finished", "the calibration finished")
    rising = all(b >= a for a, b in zip(seen, seen[1:]))
    between = sorted(set(v for v in seen if 0 < v < 100))
    check(rising and len(between) >= 3, f"progress rose through {len(between)} values: {between[:8]}...")

    driver.get(base + f"runs/{run_id}/report.html")
    check("calkit" in driver.page_source and "dE2000" in driver.page_source, "the run's report opens in the app")
    shot(driver, "serve-report.png")
    driver.get(base + "history?display=sim:ips-lcd")
    check("sim:ips-lcd" in driver.page_source, "the history page of the display opens")
    shot(driver, "serve-history.png")

    # A run cut short by killing the server resumes from the page after a restart.
    driver.get(url)
    choose(driver, "sim", "sim:ips-lcd", 600, 100)
    driver.find_element(By.ID, "run-start").click()
    wait_for("the second run to get going",
             lambda: (lambda r: r if r and r[0] != run_id and r[2] > 10 else None)(first_run(driver)), timeout=60)
    killed_at = first_run(driver)[2]
    server.send_signal(signal.SIGKILL)
    server.wait()
    time.sleep(1)
    server, url = start_server()
    base = url.split("?")[0]
    driver.get(url)
    second = wait_for("the interrupted run", lambda: (lambda r: r if r and r[0] != run_id else None)(first_run(driver)))
    check(second[1] == "interrupted", f"after the restart the run shows as interrupted at {second[2]:.1f} %")
    check(second[2] >= killed_at - 0.5, "nothing measured before the kill was lost")
    driver.execute_script("document.querySelector('tr.run .resume').click()")
    resumed = []
    def resumed_done():
        r = first_run(driver)
        if r:
            resumed.append(r[2])
        return r if r and r[1] in ("finished", "failed") else None
    final = wait_for("the resumed run to finish", resumed_done, timeout=120)
    check(final[1] == "finished", "the resumed run finished")
    check(min(resumed) >= second[2] - 0.5, "it went on from where it stopped, not from the start")
    job = json.load(open(os.path.join(runs_dir, second[0], "job.json")))
    check("--resume" in job["args"], "the server ran it with --resume")
    verify = json.load(open(os.path.join(runs_dir, second[0], "verify-after.json")))
    check(verify["verdict"]["pass"], "its calibrated verification passes")
finally:
    driver.quit()
    server.terminate()
    server.wait()
sys.exit(0 if all(checks) else 1)
