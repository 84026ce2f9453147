"""The picture of a simulated PTZ camera: a window onto a larger scene that pans, tilts and zooms.

The scene is four times the camera's picture each way and is defined procedurally, so the window
is sampled at the output resolution whatever the zoom (no stored 4x image, no scaling pass):

* luma: a 16 x 16 grid of cells, checkerboard mid-greys, white grid lines, and each cell labelled
  with its column and row ("7.12") in a small bitmap font, for people watching the demo;
* chroma: U rises linearly with the scene's x, V with the scene's y (16..240). A picture's chroma
  therefore says where it looks: the mean U of its centre gives the window's x, the U difference
  between its left and right quarters gives the window's width (the zoom). ptz-scene.ts reads it;
  the layout here MUST match it.

Geometry (scene units: SW = 4W, SH = 4H, origin top-left):
  window width  ww = (SW / 2) / 4**zoom      (zoom 0: 2W, zoom 1: W/2, so a 4x optical range)
  window centre cx = SW/2 + pan  * (SW - ww) / 2      pan  in [-1, 1], +1 = right
                cy = SH/2 - tilt * (SH - wh) / 2      tilt in [-1, 1], +1 = up

Motion is a segment sent by the ONVIF side (sim.ts, onvif-ptz.ts), evaluated at each frame's
capture time: position = clamp(p0 + v * (min(t, t_end) - t0)), per axis, v in units per second.
The frame thread reads the current segment once per frame; a new one replaces it atomically.
"""

SCENE_FACTOR = 4
GRID = 16
CHROMA_LO, CHROMA_SPAN = 16, 224
Y_DARK, Y_LIGHT, Y_LINE, Y_TEXT = 96, 144, 235, 16

# 3x5 bitmap digits and a dot, rows top to bottom, 3 bits each (MSB = left column)
FONT = {
    "0": (7, 5, 5, 5, 7), "1": (2, 6, 2, 2, 7), "2": (7, 1, 7, 4, 7), "3": (7, 1, 7, 1, 7),
    "4": (5, 5, 7, 1, 1), "5": (7, 4, 7, 1, 7), "6": (7, 4, 7, 5, 7), "7": (7, 1, 2, 2, 2),
    "8": (7, 5, 7, 5, 7), "9": (7, 5, 7, 1, 7), ".": (0, 0, 0, 0, 2),
}

LIMITS = ((-1.0, 1.0), (-1.0, 1.0), (0.0, 1.0))  # pan, tilt, zoom


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


def position_at(segment, t_ms):
    """(pan, tilt, zoom) of a motion segment at wall-clock time t_ms."""
    p0, v, t0, t_end = segment["p0"], segment["v"], segment["t0"], segment.get("tEnd")
    t = t_ms if t_end is None else min(t_ms, t_end)
    dt = max(0.0, (t - t0) / 1000.0)
    return tuple(clamp(p0[i] + v[i] * dt, *LIMITS[i]) for i in range(3))


def window(w, h, pan, tilt, zoom):
    """The window in scene units: (x0, y0, ww, wh)."""
    sw, sh = SCENE_FACTOR * w, SCENE_FACTOR * h
    scale = 0.5 / (4.0 ** zoom)
    ww, wh = sw * scale, sh * scale
    cx = sw / 2 + pan * (sw - ww) / 2
    cy = sh / 2 - tilt * (sh - wh) / 2
    return cx - ww / 2, cy - wh / 2, ww, wh


class PtzScene:
    """Renders I420 frames of the window for one camera (w x h, both even)."""

    def __init__(self, w, h):
        self.w, self.h = w, h
        self.sw, self.sh = SCENE_FACTOR * w, SCENE_FACTOR * h
        self.cell_w, self.cell_h = self.sw / GRID, self.sh / GRID
        self.segment = {"p0": [0.0, 0.0, 0.0], "v": [0.0, 0.0, 0.0], "t0": 0, "tEnd": None}

    def set_segment(self, segment):
        p0 = [float(x) for x in segment["p0"]]
        v = [float(x) for x in segment["v"]]
        t_end = segment.get("tEnd")
        if len(p0) != 3 or len(v) != 3:
            raise ValueError("a PTZ segment has three axes")
        self.segment = {"p0": p0, "v": v, "t0": float(segment["t0"]),
                        "tEnd": None if t_end is None else float(t_end)}

    def render(self, t_ms):
        """A bytearray I420 frame of the window at time t_ms (the timecode band is drawn later)."""
        w, h = self.w, self.h
        x0, y0, ww, wh = window(w, h, *position_at(self.segment, t_ms))
        kx, ky = ww / w, wh / h
        cw, ch = self.cell_w, self.cell_h
        line_w = max(cw / 40.0, kx * 0.75)  # at least about a pixel wide on the output
        line_h = max(ch / 40.0, ky * 0.75)
        # per output column: cell column parity and whether a vertical grid line passes
        sxs = [x0 + (x + 0.5) * kx for x in range(w)]
        even = bytearray(w)
        odd = bytearray(w)
        for x, sx in enumerate(sxs):
            col = int(sx // cw)
            if sx - col * cw < line_w:
                even[x] = odd[x] = Y_LINE
            elif col % 2:
                even[x], odd[x] = Y_LIGHT, Y_DARK
            else:
                even[x], odd[x] = Y_DARK, Y_LIGHT
        line_row = bytes([Y_LINE]) * w
        even, odd = bytes(even), bytes(odd)
        rows = []
        for y in range(h):
            sy = y0 + (y + 0.5) * ky
            row = int(sy // ch)
            rows.append(line_row if sy - row * ch < line_h else (odd if row % 2 else even))
        luma = bytearray(b"".join(rows))
        self._labels(luma, x0, y0, kx, ky)
        # chroma: U from the scene's x, V from its y, sampled at each 2x2 block's centre
        cw2, ch2 = w // 2, h // 2
        u_row = bytes(self._chroma((x0 + (2 * x + 1) * kx) / self.sw) for x in range(cw2))
        u_plane = u_row * ch2
        v_plane = b"".join(bytes([self._chroma((y0 + (2 * y + 1) * ky) / self.sh)]) * cw2 for y in range(ch2))
        return luma + u_plane + v_plane

    @staticmethod
    def _chroma(fraction):
        return int(round(CHROMA_LO + CHROMA_SPAN * clamp(fraction, 0.0, 1.0)))

    def _labels(self, luma, x0, y0, kx, ky):
        """Each visible cell's "col.row" at its top-left corner, a font pixel being cell_h/24."""
        w, h = self.w, self.h
        px = max(1, int(round(self.cell_h / 24 / ky)))
        if self.cell_h / 24 / ky < 1.2:
            return  # too small to read: leave the grid alone
        first_col, last_col = max(0, int(x0 // self.cell_w)), min(GRID - 1, int((x0 + kx * w) // self.cell_w))
        first_row, last_row = max(0, int(y0 // self.cell_h)), min(GRID - 1, int((y0 + ky * h) // self.cell_h))
        text_bytes = bytes([Y_TEXT]) * (px * 4)
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                ox = int(round((col * self.cell_w - x0) / kx)) + 3 * px
                oy = int(round((row * self.cell_h - y0) / ky)) + 3 * px
                for i, ch in enumerate(f"{col}.{row}"):
                    gx = ox + i * 4 * px
                    for gy_i, bits in enumerate(FONT[ch]):
                        for bit in range(3):
                            if not (bits >> (2 - bit)) & 1:
                                continue
                            xa = gx + bit * px
                            xb = xa + px
                            if xb <= 0 or xa >= w:
                                continue
                            xa, xb = max(0, xa), min(w, xb)
                            seg = text_bytes[:xb - xa]
                            for yy in range(oy + gy_i * px, oy + (gy_i + 1) * px):
                                if 0 <= yy < h:
                                    luma[yy * w + xa:yy * w + xb] = seg
