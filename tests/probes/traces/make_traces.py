#!/usr/bin/python3
"""Writes the hand-made probe traces of this folder from the byte sequences of independent drivers.

Every byte either comes from a source named in the comment next to it (ArgyllCMS 3.2 spectro/*.c
"A", openI1D3 "O", PsyCalibrator "PC", Klein's SDK "KC", Photo Research's manual "MAN", the
MATLAB SpectraScan driver "ML", Psychtoolbox "PT"; /work/notes/probes-facts.md has the lines) or is
marked PLACEHOLDER: no source fixes it (a serial number, sensor curves, counts), and the value
is a plausible one chosen here. Nothing comes from calkit's emulators. Where calkit's driver
chooses between sources (or does less than ArgyllCMS), the trace follows calkit's choice and says
so; docs/probes.md lists those choices.

Run: /usr/bin/python3 tests/probes/traces/make_traces.py   (rewrites the *.txt here)
"""
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


class Trace:
    def __init__(self, name, probe, wire, about):
        self.name, self.lines, self.t = name, [], 0.0
        self.lines += ["# " + line for line in about.strip().splitlines()]
        self.lines += ["calkit-trace 1", "probe " + probe, "wire " + wire]

    def note(self, text):
        self.lines.append("# " + text)

    def event(self, kind, data=b"", args="", why="", dt=0.0, fail=""):
        self.t += dt
        fields = [f"{self.t:.6f}", kind] + ([args] if args else []) + ([hexes(data)] if data else [])
        line = " ".join(fields) + (" ! " + fail if fail else "")
        self.lines.append(line + (f"  # {why}" if why else ""))

    def write(self):
        with open(os.path.join(HERE, self.name), "w") as f:
            f.write("\n".join(self.lines) + "\n")


def hexes(data):
    out, i = [], 0
    while i < len(data):
        run = 1
        while i + run < len(data) and data[i + run] == data[i]:
            run += 1
        if run >= 8:
            out.append(f"{data[i]:02x}*{run}")
            i += run
        else:
            out.append(f"{data[i]:02x}")
            i += 1
    return " ".join(out)


def report(*parts, size=64):
    b = bytearray(size)
    at = 0
    for p in parts:
        if isinstance(p, tuple):
            at, p = p
        b[at:at + len(p)] = p
        at += len(p)
    return bytes(b)


# ---- i1d3 -----------------------------------------------------------------------------------

def i1d3():
    t = Trace("i1d3.txt", "i1d3", "hid", """
i1Display Pro, revision B-02, opened and read twice (bright, dim), then closed.
Built by make_traces.py from ArgyllCMS spectro/i1d3.c and openI1D3 byte layouts (see there).""")
    # Replies to 0x00xx commands echo the MAJOR code 0x00 in byte 1 (A i1d3_command; O sendCommand).
    def info(minor, reply_tail, why):
        t.event("out", report(b"\x00" + bytes([minor])), why=why)
        t.event("in", report(b"\x00\x00", reply_tail), why="status 00, echo 00 (the major code)")
    info(0x01, b"\x01", "GetStatus; reply [2]=01 PLACEHOLDER (A init: OK if [2]!=0)")
    info(0x10, b"i1Display3 ", "ProductName: 'i1Display3 ' with its space (A i1d3_get_prodname)")
    info(0x11, b"\x00\x01\x00", "ProductType: u16LE [3..4] = 1, an i1Display Pro (A i1d3_get_prodtype); [2] PLACEHOLDER")
    info(0x12, b"v1.0", "FirmwareVersion: text as A's comment shows ('i1Display3 v1.0 11Jan11')")
    info(0x13, b"11Jan11", "FirmwareDate (A's comment); calkit skips A's 0x1000/0x0031 (AIO mode, unused)")
    info(0x20, b"\x00\x01", "LockStatus: locked iff [2]==0 and [3]!=0 (A i1d3_lock_status); bytes PLACEHOLDER")
    challenge = bytearray(64)
    challenge[1] = 0x99
    for i in range(2, 64):
        challenge[i] = (i * 37 + 11) & 0xFF  # the published unlock test vector
    t.event("out", report(b"\x99"), why="GetLockChallenge (A i1d3_unlock)")
    t.event("in", bytes(challenge), why="challenge: the test vector of shared/research/probes.md §1 (checked against A)")
    response = bytes.fromhex("65c57460edfad0e4379df91607f25682")  # retail key, same vector
    t.event("out", report(b"\x9a", (24, response)), why="SendLockResponse, retail key: the vector's answer")
    t.event("in", report(b"\x00\x9a\x77"), why="0x77 at [2]: accepted (A i1d3_unlock)")
    info(0x20, b"\x01\x00", "LockStatus again: unlocked")
    # Internal EEPROM: 256 bytes, 60 at a time (A i1d3_read_internal_eeprom: addr [1], len [2], data from [4]).
    internal = bytearray(256)
    internal[0x10:0x10 + 20] = b"I1-11.A-01.100999.02"  # serial as A's comment gives it
    internal[0x2C:0x2C + 4] = b"B-02"                    # revision (A i1d3_decode_intEE)
    for addr in range(0, 256, 60):
        n = min(60, 256 - addr)
        t.event("out", report(bytes([0x08, addr, n])), why=f"read internal EEPROM {addr:#04x}+{n}")
        t.event("in", report(b"\x00\x08", (4, internal[addr:addr + n])),
                why="data from [4]; [2..3] PLACEHOLDER zeros; unused bytes PLACEHOLDER zeros")
    # External EEPROM: calkit reads 0..0x1799 (the checksummed range and the sensor data; A reads
    # all 8192), 59 at a time (A i1d3_read_external_eeprom: address big-endian [1..2], len [3],
    # data from [5]). Sensor curves at 0x26/0x5A2/0xB1E and the diffuser at 0x10BC, 351 float32LE
    # each, 380..730 nm (A i1d3_decode_extEE): PLACEHOLDER Gaussians, Hz per W/(sr·m²·nm).
    external = bytearray(0x179A)
    def curve(peak, width, height):
        return [height * math.exp(-0.5 * ((380 + i - peak) / width) ** 2) for i in range(351)]
    for at, values in ((0x26, curve(600, 35, 9000)), (0x5A2, curve(550, 40, 10000)),
                       (0xB1E, curve(450, 25, 12000)), (0x10BC, [0.3] * 351)):
        external[at:at + 4 * 351] = struct.pack("<351f", *values)
    full = sum(external[4:0x179A]) & 0xFFFF
    short = sum(external[4:0x178E]) & 0xFFFF
    stored = (full + 0x1234) & 0xFFFF
    assert stored not in (full, short)
    external[2:4] = struct.pack("<H", stored)  # matches neither range: A goes on for B units
    for addr in range(0, len(external), 59):
        n = min(59, len(external) - addr)
        t.event("out", report(bytes([0x12, addr >> 8, addr & 0xFF, n])), why=f"read external EEPROM {addr:#06x}+{n}")
        t.event("in", report(b"\x00\x12", (5, external[addr:addr + n])),
                why="data from [5]; [2..4] PLACEHOLDER zeros" + ("; checksum at 2 matches neither range" if addr == 0 else ""))
    # A bright reading: diffuser position, then 0.2 s of frequency (A i1d3_take_XYZ_measurement,
    # i1d3_take_emis_measurement, i1d3_freq_measure).
    t.note("reading 1: bright")
    t.event("out", report(b"\x94"), why="GetDiffuserPos (A i1d3_get_diffpos)", dt=0.5)
    t.event("in", report(b"\x00\x00"), why="[1]=00: display position; [2..63] zero (A checks)")
    gate = struct.pack("<I", 2400000)  # 0.2 s of 12 MHz
    t.event("out", report(b"\x01", gate), why="FreqMeasure over 2 400 000 clocks (A: 01 00 9F 24 00)")
    t.event("in", report(b"\x00\x01", struct.pack("<III", 650, 750, 550)), dt=0.2,
            why="edge counts 650, 750, 550: PLACEHOLDER (about 120 cd/m², A's 250 kHz ≈ 16 000 cd/m²)")
    # A dim reading: every count under 20, so a 2-edge period pre-measure, then a period measure
    # over the time A's blend gives (A i1d3_take_emis_measurement). Mask 07: all channels (A and
    # O disagree on the bit order; calkit enables all three).
    t.note("reading 2: dim")
    t.event("out", report(b"\x94"), why="GetDiffuserPos", dt=0.5)
    t.event("in", report(b"\x00\x00"), why="display position")
    t.event("out", report(b"\x01", gate), why="FreqMeasure 0.2 s")
    counts = (12, 15, 8)
    t.event("in", report(b"\x00\x01", struct.pack("<III", *counts)), dt=0.2, why="counts 12, 15, 8: PLACEHOLDER (dim)")
    hz = (31.7, 37.9, 21.3)  # PLACEHOLDER: the light the period measures see
    pre = [2, 2, 2]
    t.event("out", report(b"\x02", struct.pack("<HHH", *pre), b"\x07"), why="PeriodMeasure 2 edges each, mask 07 (A i1d3_period_measure)")
    clocks = [round(0.5 * e * 12e6 / f) for e, f in zip(pre, hz)]
    t.event("in", report(b"\x00\x02", struct.pack("<III", *clocks)), dt=max(clocks) / 12e6,
            why="12 MHz clocks for 2 edges: 31.7, 37.9, 21.3 Hz")
    gate_s, least = 0.2, 0.2 / 6
    times = []
    for f in hz:  # A: target edges along sqrt((n - gate/6)/(200 - gate/6)) from gate/6 to 200
        n = 2 * f * gate_s
        blend = math.sqrt(max(0.0, (n - least) / (200 - least)))
        times.append(min((blend * (200 - least) + least) / (2 * f), 6.0))
    longest = max(gate_s, *times)
    edges = []
    for f in hz:
        x = 2 * f * longest
        assert abs(x / 2 - round(x / 2)) > 0.05, "too close to an edge-count boundary"
        edges.append(2 * int(math.floor(x / 2)))
    t.event("out", report(b"\x02", struct.pack("<HHH", *edges), b"\x07"),
            why=f"PeriodMeasure {edges} edges: {longest:.4f} s, A's blend towards 200 edges")
    clocks = [round(0.5 * e * 12e6 / f) for e, f in zip(edges, hz)]
    t.event("in", report(b"\x00\x02", struct.pack("<III", *clocks)), dt=max(clocks) / 12e6, why="clocks at the same light")
    t.event("reset", why="close: USB reset, as A does before closing (usbio_lx.c usb_close_port)", dt=0.1)
    t.write()


# ---- SpyderX ----------------------------------------------------------------------------------

def spyderx():
    t = Trace("spyderx.txt", "spyderx", "usb", """
Datacolor SpyderX opened (with the cap-on black calibration) and read once, then closed.
Built by make_traces.py from ArgyllCMS spectro/spydX.c and PsyCalibrator spyderX.m (see there).""")
    nonce = [0]
    def command(cmd, payload, reply_payload, why, reply_why, dt=0.0):
        nonce[0] += 1  # calkit counts nonces from 1 (A random, PC fixed: the device echoes any)
        n = nonce[0]
        frame = bytes([cmd]) + struct.pack(">HH", n, len(payload)) + payload
        t.event("bulk-out", frame, args="01", why=why)
        reply = struct.pack(">H", n) + b"\x00" + struct.pack(">H", len(reply_payload)) + reply_payload
        t.event("bulk-in", reply, args="81", why=reply_why, dt=dt)
    def reset():
        t.event("ctrl", args="41 02 0002 0000 0", fail="Protocol LIBUSB_ERROR_PIPE (stall)",
                why="reset (A spydX_reset); it may fail: A, PC and PM ignore the result. PLACEHOLDER: the failure")
    reset()
    command(0xD9, b"", b"2.07" + bytes(19), "hardware version (A spydX_getHWverno)",
            "'2' '.' '07': PLACEHOLDER (A spydX.h names 2.07 for early units)", dt=0.5)
    serial_payload = bytes(4) + b"12345678" + bytes(25)
    command(0xC2, b"", serial_payload, "serial (A spydX_getSerNo)", "8 ASCII at [4..11]: PLACEHOLDER")
    matrix = [0.0120, 0.0010, 0.0015, 0.0045, 0.0150, 0.0005, 0.0002, 0.0008, 0.0210]  # PLACEHOLDER
    cal = bytes([0x00, 0x03]) + struct.pack(">H", 714) + struct.pack("<9f", *matrix) + b"\x00"
    cal += bytes([sum(cal) & 0xFF])
    command(0xCB, b"\x00", cal, "calibration 0, General (A spydX_getCalibration)",
            "ix 0, v1 3, v2 714 ms (PC's comments), 9 float32LE row-major PLACEHOLDER, v3 PLACEHOLDER, checksum")
    command(0xD4, b"\x65\x10", struct.pack(">HH", 1200, 140) + b"\x65\x10",
            "ambient 101/0x10 'to initialize it' (A spydX_init_inst; PC)", "counts PLACEHOLDER, settings echoed")
    s3 = bytes([15, 18, 13, 5])  # PLACEHOLDER: small black-subtraction counts
    setup = bytes([0x03, 0xE1, 0xA1, 0xA1, 0x00]) + s3
    setup += bytes([sum(setup) & 0xFF])
    def measure(raw, why):
        command(0xC3, b"\x03", setup, "setup v1=3 (A spydX_measSettup, before every reading)",
                "s1 03, s2 E1 A1 A1 00 (PC's captured D2), s3 PLACEHOLDER, checksum")
        reset()
        command(0xD2, struct.pack(">H", 714) + setup[:5], struct.pack(">HHHH", *raw),
                "measure: v2, s1, s2: PC's captured bytes (A spydX_Measure)", why, dt=1.214)
    t.note("black calibration, cap on (A spydX_BlackCal)")
    measure((21, 14, 22, 0), "raw X Y Z IR PLACEHOLDER: minus s3 gives 6, -4, 9 (A keeps bcal signed, unclamped)")
    t.note("reading")
    measure((1500, 1700, 1900, 30), "raw counts PLACEHOLDER; XYZ = M(raw - s3 - bcal) (A spydX_GetReading)")
    t.event("reset", why="close: USB reset (A spydX_init_coms sets reset-before-close)", dt=0.1)
    t.write()


# ---- Klein K10-A ------------------------------------------------------------------------------

def k10_float(v):
    """Klein's three-byte float, m * 2^(e-16) (A decodeN5; KC parseK_float)."""
    if v == 0:
        return b"\x00\x00\x00"
    m, p = math.frexp(abs(v))
    mant, e = round(m * 32768), p + 1
    if mant == 32768:
        mant, e = 16384, e + 1
    assert mant * 2.0 ** (e - 16) == abs(v), "not exactly representable"
    return struct.pack(">H", mant | (0x8000 if v < 0 else 0)) + struct.pack("b", e)


def k10():
    t = Trace("k10.txt", "k10", "serial", """
Klein K10-A opened, read bright (1 reading) and dim (averaged), a range fixed and auto again.
Built by make_traces.py from ArgyllCMS spectro/kleink10.c and Klein's SDK KClmtr (see there).""")
    def command(cmd, reply, why, dt=0.0):
        t.event("discard", why="every driver flushes before a command (A, KC, BL)")
        t.event("tx", cmd.encode() + b"\r", why=why)
        t.event("rx", reply, dt=dt, why=repr(reply)[2:-1][:60])
    t.event("baud", args="9600", why="9600 8N1 (A k10_init_coms)")
    command("P0", b"P0K-10-A U006957  <0>", "identify: model 7 chars, serial 9 (A k10_init_coms); serial PLACEHOLDER")
    names = b"Default CRT File    " + b"\xff" * 20 * 95  # A's guess_disptype knows the name; empty 0xFF PLACEHOLDER
    command("D7", b"D7" + names + b"<0>", "calibration list, 96 x 20 (A k10_read_cal_list)")
    command("L0", b"L0<0>", "aiming lights off (A k10_init_inst; KC reads no reply)")
    command("J8", b"J8<0>", "auto-range (A k10_init_inst)")
    command("P2", b"P2v01.09fh<0>", "firmware (A's tested version)")
    t.note("reading 1: Klein's SDK sample N5 reply (KC KClmtr.cpp, a test string): X 46.676, Y 51.338, Z 38.582")
    command("N5", bytes.fromhex("4e355d5a0766ad074d2a07803c303e"), "measure", dt=0.125)
    t.note("reading 2: max(X,Y,Z) = 5 cd/m2: A averages int(4 + 6*(1-3/18)^3 + 0.5) = 7 readings (A k10_read_sample)")
    n5 = b"N5" + k10_float(4.75) + k10_float(5.0) + k10_float(4.625) + b"\x80<0>"  # PLACEHOLDER values
    for _ in range(7):
        command("N5", n5, "measure", dt=0.125)
    t.note("a fixed range: J7 then Jn (A k10_read_flicker_samples; KC KClmtr::setRange)")
    command("J7", b"J7<0>", "hold the ranges")
    command("J3", b"J3<0>", "range 3")
    command("J8", b"J8<0>", "auto-range again (A sends J8 before reading when not auto-ranging)")
    t.write()


# ---- JETI specbos -----------------------------------------------------------------------------

def jeti_spectrum(start, end):
    """PLACEHOLDER: a smooth three-band display white, W/(sr·m²·nm), about 100 cd/m²."""
    out = []
    for nm in range(start, end + 1):
        v = sum(a * math.exp(-0.5 * ((nm - c) / w) ** 2) for a, c, w in ((0.10, 450, 12), (0.06, 540, 30), (0.07, 610, 18)))
        out.append(v if 380 <= nm <= 780 else 0.0)
    return out


def jeti(model, maxtin, begin, end, old_firmware):
    name = f"jeti-{model}.txt"
    t = Trace(name, "jeti", "serial", f"""
JETI specbos {model} opened and read once. Built by make_traces.py from ArgyllCMS spectro/specbos.c.""")
    def command(cmd, reply, why, dt=0.0):
        t.event("discard", why="A flushes before every command (specbos_fcommand)")
        t.event("tx", cmd.encode() + b"\r", why=why)
        t.event("rx", reply, dt=dt, why=repr(reply)[2:-1][:60])
    ack = b"\x06"
    t.event("baud", args="921600", why="A tries 921600, 115200, 38400 (specbos_init_coms)")
    command("*idn?", f"JETI_SB{model}\r".encode(), "identify: 'JETI_SB%d' (A specbos_init_coms); trailing text PLACEHOLDER")
    command("*para:spnum?", b"spectrometer number: 12345\r", "serial (A); number PLACEHOLDER")
    command("*conf:default", ack, "A specbos_init_inst")
    command("*para:calibn 0", ack, "")
    command("*para:expo 1", ack, "auto-exposure")
    if old_firmware:
        command(f"*conf:maxtin {maxtin}", b"\x15", f"({model}: (16+3.6-3.6)/2 s) NAK: firmware before V1.8.3 (A)")
        command("*stat:err?", b"Error Code: 4\r", "the error after a NAK (A specbos_fcommand); code PLACEHOLDER (4, SPECBOS_COMMAND)")
    else:
        command(f"*conf:maxtin {maxtin}", ack, f"{maxtin} ms: ((6+3.6)-3.6)/2 s on a 1211 (A specbos_init_inst)")
    command("*conf:func 6", ack, "radiometric")
    command("*conf:form 4", ack, "ASCII")
    command("*para:wavbeg?", f"Predefined start wave: {begin}\r".encode(), "A; value PLACEHOLDER")
    command("*para:wavend?", f"Predefined end wave: {end}\r".encode(), "A caps it at 830; value PLACEHOLDER")
    stop = min(end, 830)
    command(f"*conf:wran {begin} {stop} 1", ack, "A specbos_init_inst")
    command("*conf:aver 1", ack, "")
    command("*vers?", b"3.51\r", "firmware (A, verbose mode); text PLACEHOLDER")
    t.note("reading (A specbos_read_sample)")
    command("*contr:mhead?", b"mhead: 0\r", "0: the emissive head (A specbos_get_diffpos)", dt=0.5)
    command("*contr:laser 0", ack, "target laser off")
    command("*conf:aver 1", ack, "A set_average")
    t.event("discard", why="")
    t.event("tx", b"*init\r", why="measure: ACK, then BEL when done")
    t.event("rx", ack, why="accepted")
    t.event("rx", b"\x07", dt=1.2, why="BEL: done (integration time PLACEHOLDER)")
    values = jeti_spectrum(begin, stop)
    t.event("discard", why="")
    t.event("tx", b"*fetch:sprad\r", why="calkit integrates XYZ itself: no *fetch:XYZ (A reads it too)")
    t.event("rx", b"Spectral radiance\r", why="header line 1 PLACEHOLDER (A skips two)")
    t.event("rx", f"{len(values)}\r".encode(), why="header line 2 PLACEHOLDER")
    for i in range(0, len(values), 40):
        t.event("rx", b"".join(f"{v:.6e}\r".encode() for v in values[i:i + 40]),
                why=f"values {begin + i}.. nm, W/(sr m2 nm) PLACEHOLDER")
    t.event("rx", b"\r", why="one terminator more: A reads 2 + bands + 1 (specbos_read_sample)")
    t.write()


# ---- Photo Research PR-655 --------------------------------------------------------------------

def pr655():
    t = Trace("pr655.txt", "pr655", "serial", """
Photo Research PR-655 opened, read once, read in weak light, closed.
Built by make_traces.py from Photo Research's manual (MAN), ML's SpectraScanPR655.m and PT.""")
    def chars(text, why):
        for i, c in enumerate(text):
            t.event("tx", c.encode(), why=why if i == 0 else "", dt=0.05)
    t.event("baud", args="9600", why="PT 9600 8N1 (nominal over CDC-ACM)")
    t.event("discard", why="")
    chars("PHOTO", "P H O T O as single characters, no CR (MAN p.103; ML connect)")
    t.event("rx", b" REMOTE MODE", dt=0.3, why="12 characters, as ML reads them; no line end (none is documented)")
    def command(cmd, reply, why, dt=0.0):
        t.event("discard", why="")
        chars(cmd + "\r", why)
        t.event("rx", reply, dt=dt, why=repr(reply)[2:-1][:60])
    command("D111", b"00000,PR-655\r\n", "model (MAN p.118 example '00000,PR-670')")
    command("D110", b"00000,67065106\r\n", "serial (MAN p.118 example)")
    t.note("reading: M5 (MAN p.116): header, then 101 lines 'nm,value' 380..780 / 4 nm, values as PT parses them")
    lines = [b"00000,0,5.400e+002,3.327e-01,9.147e+01\r\n"]  # header: numbers PLACEHOLDER
    for nm in range(380, 781, 4):
        v = sum(a * math.exp(-0.5 * ((nm - c) / w) ** 2) for a, c, w in ((0.10, 450, 12), (0.06, 540, 30), (0.07, 610, 18)))
        text = f"{v:.3e}"
        mant, exp = text.split("e")
        lines.append(f"{nm},{mant}e{int(exp):+04d}\r\n".encode())  # 3-digit exponents (PT's 16-char records)
    t.event("discard", why="")
    chars("M5\r", "measure a spectrum")
    for i in range(0, len(lines), 20):
        t.event("rx", b"".join(lines[i:i + 20]), dt=2.0 if i == 0 else 0.0, why="PLACEHOLDER values" if i else "status 00000")
    t.note("reading in weak light: -8 (MAN p.122 'weak light'; PT's PR-655 toolbox calls -8 a sync failure)")
    command("M5", b"-0008\r\n", "measure", dt=6.0)
    t.event("tx", b"Q", why="close: leave remote mode (MAN: Q; PT sends Q CR)", dt=0.05)
    t.event("tx", b"\r", dt=0.05)
    t.write()


if __name__ == "__main__":
    i1d3()
    spyderx()
    k10()
    jeti(1211, 3000, 350, 1000, old_firmware=False)
    jeti(1201, 8000, 380, 780, old_firmware=True)
    pr655()
