"""One calibration session of bscpylgtv (the independent LG client in ../shared/oracles) against
calkit's LG TV emulator: pair, enter the picture mode's calibration mode, set the bypass modes
with a unity 1D LUT (SDR) or upload a unity 1D LUT (HDR10), upload a .cube into a 3D LUT slot,
leave calibration mode. Used by tests/upload/lg_tv_test.cpp.

usage: bscpylgtv_session.py PORT PICTURE_MODE SLOT CUBE
"""
import asyncio
import sys

from bscpylgtv import WebOsClient


class NoStorage:
    """bscpylgtv keeps the TV's key in a store; the test needs none."""

    async def set_key(self, key, val):
        pass

    async def get_key(self, key):
        return None

    async def list_keys(self):
        return {}


async def session(port, mode, slot, cube):
    client = await WebOsClient.create("127.0.0.1", states=["software_info"], without_ssl=True, storage=NoStorage())
    client.port = port  # bscpylgtv always uses 3000/3001; the emulator listens on a free port
    await client.connect()
    await client.start_calibration(picture_mode=mode)
    if mode.startswith("hdr_"):
        await client.upload_1d_lut()
    else:
        await client.set_bypass_modes_sdr(unity_1d_lut=True)
    await getattr(client, f"upload_3d_lut_{slot}_from_file")(cube)
    await client.end_calibration()
    await client.disconnect()


asyncio.run(session(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]))
print("bscpylgtv session done")
