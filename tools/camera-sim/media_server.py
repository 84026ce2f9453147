#!/usr/bin/python3
"""Media half of the camera simulator: one GStreamer process that

* draws 1280x720 frames at 25 fps and burns the wall-clock capture time (Unix ms) into each
  frame as a row of black/white blocks (layout: see timecode.ts / README.md),
* encodes the picture ONCE as the main stream (1280x720) and ONCE as the sub stream (640x360),
  H.264 (or H.265), 1 s GOP, no B-frames, and packetises each as RTP,
* for each camera started with PTZ (--ptz), draws and encodes its own picture instead: a window of
  a larger scene that pans, tilts and zooms as the ONVIF PTZ service commands (ptz_scene.py),
* serves those RTP streams on every camera's mount points (/camN/main, /camN/sub) through the
  GStreamer RTSP server (RTP over TCP or UDP, Basic or Digest authentication).

It is driven by the Node front end (sim.ts) through stdin/stdout, one JSON object per line:
  stdin : {"cmd": "stop", "camera": 3, "mode": "stall"|"close"} | {"cmd": "start", "camera": 3}
          | {"cmd": "status"} | {"cmd": "ptz", "camera": 3, "segment": {p0, v, t0, tEnd}} (ptz_scene.py)
  stdout: {"event": "ready", "rtspPort": 8554, ...} | {"event": "ack", ...} | {"event": "error", ...}
It exits on SIGTERM/SIGINT and when stdin reaches EOF (its parent died).
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

from ptz_scene import PtzScene  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Timecode layout. MUST match tools/camera-sim/timecode.ts.
# The top BAND_DIV-th of the frame is a band of CELLS equal-width cells spanning the full width:
#   3 start-guard cells (white, black, white), 48 data bits (Unix time in ms, MSB first),
#   8 bits CRC-8 (poly 0x07, init 0) over the 6 big-endian bytes of the time,
#   3 stop-guard cells (black, white, white).  White = 1, black = 0.
# ---------------------------------------------------------------------------------------------
CELLS = 62
BAND_DIV = 16
START_GUARD = [1, 0, 1]
STOP_GUARD = [0, 1, 1]
Y_BLACK, Y_WHITE = 16, 235


def crc8(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def timecode_bits(ms):
    raw = ms.to_bytes(6, "big")
    bits = START_GUARD[:]
    for i in range(47, -1, -1):
        bits.append((ms >> i) & 1)
    c = crc8(raw)
    for i in range(7, -1, -1):
        bits.append((c >> i) & 1)
    bits += STOP_GUARD
    assert len(bits) == CELLS
    return bits


def log(*args):
    print("[media]", *args, file=sys.stderr, flush=True)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class FrameSource:
    """Generates I420 frames with the timecode band, paced by a thread at `fps`. Without a scene:
    colour bars and a moving grey box; with one (a PTZ camera, ptz_scene.py): the scene's window."""

    def __init__(self, appsrc, width, height, fps, scene=None):
        self.appsrc = appsrc
        self.scene = scene
        self.w, self.h, self.fps = width, height, fps
        self.band_h = height // BAND_DIV
        self.cell_x = [(i * width) // CELLS for i in range(CELLS + 1)]
        self.running = False
        self.thread = None
        self.bg = self._background()
        self.frames = 0

    def _background(self):
        w, h, bh = self.w, self.h, self.band_h
        # 75% colour bars (Y, U, V)
        bars = [(180, 128, 128), (168, 44, 136), (145, 147, 44), (133, 63, 52),
                (63, 193, 204), (51, 109, 212), (28, 212, 120), (16, 128, 128)]
        y_row = bytearray(w)
        u_row = bytearray(w // 2)
        v_row = bytearray(w // 2)
        for i, (y, u, v) in enumerate(bars):
            x0, x1 = i * w // len(bars), (i + 1) * w // len(bars)
            y_row[x0:x1] = bytes([y]) * (x1 - x0)
            u_row[x0 // 2:x1 // 2] = bytes([u]) * (x1 // 2 - x0 // 2)
            v_row[x0 // 2:x1 // 2] = bytes([v]) * (x1 // 2 - x0 // 2)
        cbh = (bh + 1) // 2
        yp = bytes([Y_BLACK]) * (w * bh) + bytes(y_row) * (h - bh)
        up = bytes([128]) * (w // 2 * cbh) + bytes(u_row) * (h // 2 - cbh)
        vp = bytes([128]) * (w // 2 * cbh) + bytes(v_row) * (h // 2 - cbh)
        return yp + up + vp

    def make_frame(self, ms):
        if self.scene is None:
            frame = bytearray(self.bg)
            self._draw_box(frame)
        else:
            frame = self.scene.render(ms)
            # the band's chroma neutral, as on the bars (the band is black and white)
            w, h = self.w, self.h
            cbh = (self.band_h + 1) // 2
            neutral = bytes([128]) * (w // 2 * cbh)
            u_off, v_off = w * h, w * h + (w // 2) * (h // 2)
            frame[u_off:u_off + len(neutral)] = neutral
            frame[v_off:v_off + len(neutral)] = neutral
        self._draw_band(frame, ms)
        return frame

    def _draw_box(self, frame):
        w, h = self.w, self.h
        # moving grey box so that the encoder has motion to code and viewers see a live picture
        box = h // 6
        period = 4 * self.fps
        x = int((self.frames % period) / period * (w - box)) & ~1
        y0 = (h // 2) & ~1
        grey = bytes([128]) * box
        for r in range(y0, y0 + box):
            frame[r * w + x:r * w + x + box] = grey
        cw = w // 2
        u_off, v_off = w * h, w * h + (w // 2) * (h // 2)
        neutral = bytes([128]) * (box // 2)
        for r in range(y0 // 2, (y0 + box) // 2):
            frame[u_off + r * cw + x // 2:u_off + r * cw + x // 2 + box // 2] = neutral
            frame[v_off + r * cw + x // 2:v_off + r * cw + x // 2 + box // 2] = neutral

    def _draw_band(self, frame, ms):
        w = self.w
        row = bytearray(w)
        for i, bit in enumerate(timecode_bits(ms)):
            if bit:
                x0, x1 = self.cell_x[i], self.cell_x[i + 1]
                row[x0:x1] = bytes([Y_WHITE]) * (x1 - x0)
            else:
                x0, x1 = self.cell_x[i], self.cell_x[i + 1]
                row[x0:x1] = bytes([Y_BLACK]) * (x1 - x0)
        row = bytes(row)
        for r in range(self.band_h):
            frame[r * w:(r + 1) * w] = row

    def start(self):
        self.running = True
        self.thread = threading.Thread(target=self._run, name="frames", daemon=True)
        self.thread.start()

    def stop(self):
        self.running = False

    def _run(self):
        """Pace frames on the pipeline clock. PTS follow an exact 1/fps grid (smooth RTP
        timestamps); the burned-in timecode is the wall-clock time at which the frame is actually
        produced and pushed (a few ms after its grid slot when the thread wakes late)."""
        pipeline = self.appsrc.get_parent()
        clock = pipeline.get_clock()
        while clock is None and self.running:
            time.sleep(0.005)
            clock = pipeline.get_clock()
        period = Gst.SECOND // self.fps
        base = pipeline.get_base_time()
        grid0 = clock.get_time() - base
        n = 0
        while self.running:
            pts = grid0 + n * period
            ms = int(time.time() * 1000)
            frame = self.make_frame(ms)
            buf = Gst.Buffer.new_wrapped(frame)
            buf.pts = pts
            buf.dts = pts
            buf.duration = period
            ret = self.appsrc.emit("push-buffer", buf)
            if ret != Gst.FlowReturn.OK and ret != Gst.FlowReturn.FLUSHING:
                log("push-buffer returned", ret)
            self.frames += 1
            n += 1
            now = clock.get_time() - base
            delay = grid0 + n * period - now
            if delay < -period:  # fell behind (machine busy): skip the missed slots, never burst
                missed = (-delay) // period + 1
                n += missed
                delay += missed * period
            if delay > 0:
                time.sleep(delay / Gst.SECOND)


class Codec:
    def __init__(self, name):
        self.name = name
        if name == "h265":
            self.enc = "H265"
            self.pay = "rtph265pay"
            self.depay = "rtph265depay"
            self.parse = "h265parse"
        else:
            self.enc = "H264"
            self.pay = "rtph264pay"
            self.depay = "rtph264depay"
            self.parse = "h264parse"

    def encoder(self, bitrate_kbps, fps):
        if self.name == "h265":
            return (f"x265enc tune=zerolatency speed-preset=ultrafast bitrate={bitrate_kbps} "
                    f"key-int-max={fps} "
                    f"option-string=\"bframes=0:scenecut=0:open-gop=0:keyint={fps}:min-keyint={fps}:repeat-headers=1\"")
        return (f"x264enc tune=zerolatency speed-preset=ultrafast bitrate={bitrate_kbps} "
                f"key-int-max={fps} bframes=0 threads=1 "
                f"option-string=\"scenecut=0:keyint-min={fps}\" ! video/x-h264,profile=main")

    def is_config_packet(self, payload):
        """True for RTP packets carrying parameter sets (SPS/PPS or VPS/SPS/PPS)."""
        if len(payload) < 14:
            return False
        if self.name == "h265":
            t = (payload[12] >> 1) & 0x3F
            if t == 48 and len(payload) >= 17:  # aggregation packet: type of its first NAL unit
                t = (payload[16] >> 1) & 0x3F
            return t in (32, 33, 34)
        t = payload[12] & 0x1F
        return t in (7, 8) or (t == 24 and (payload[15] & 0x1F) in (7, 8))


def restamp(buf, element, capture_clock_time):
    """Shallow copy of an RTP packet, re-timestamped for one mount's pipeline.

    All pipelines run on the same (system, monotonic) clock, so a packet captured at clock time T
    gets running time T - base_time of the mount's pipeline: jitter-free, identical spacing on all
    mounts. While the mount's pipeline is not PLAYING yet (no base time), the packet is left
    unstamped and the mount's appsrc (do-timestamp) stamps it."""
    # a real (shallow: memory is shared) copy; Gst.Buffer.copy() in Python is only a new reference
    b = buf.copy_region(Gst.BufferCopyFlags.FLAGS | Gst.BufferCopyFlags.META | Gst.BufferCopyFlags.MEMORY,
                        0, buf.get_size())
    pts = Gst.CLOCK_TIME_NONE
    pipeline = element.get_parent() if element is not None else None  # set once the media is prepared
    if capture_clock_time is not None and pipeline is not None:
        base = pipeline.get_base_time()
        if base > 0 and capture_clock_time >= base:
            pts = capture_clock_time - base
    b.pts = pts
    b.dts = Gst.CLOCK_TIME_NONE
    return b


SESSION_TIMEOUT_S = 10  # RTSP session timeout; ffmpeg keeps alive at half of it
WAIT_PLAY, WAIT_KEYFRAME, FLOWING = 0, 1, 2


class Feed:
    """One encoded stream (main or sub): fans the encoder's RTP packets out to mount appsrcs."""

    def __init__(self, kind, codec):
        self.kind = kind
        self.codec = codec
        self.lock = threading.Lock()
        self.targets = {}  # appsrc -> camera index
        self.config = []  # latest parameter-set packets, replayed to new mounts
        self.packets = 0
        self.encoder = None  # encoder pipeline, for its base time
        self.caps = None  # RTP caps of the encoder-side payloader
        self.have_caps = threading.Event()

    def on_sample(self, sink):
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.OK
        buf = sample.get_buffer()
        self.packets += 1
        if self.caps is None:
            self.caps = sample.get_caps()
            self.have_caps.set()
        head = buf.extract_dup(0, min(17, buf.get_size()))
        is_config = self.codec.is_config_packet(head)
        if is_config:
            with self.lock:
                # keep the parameter sets of the current GOP (SPS, PPS[, VPS])
                if len(self.config) >= 3:
                    self.config = []
                self.config.append(buf)
        capture = None
        if buf.pts != Gst.CLOCK_TIME_NONE and self.encoder is not None:
            rt = sample.get_segment().to_running_time(Gst.Format.TIME, buf.pts)
            if rt != Gst.CLOCK_TIME_NONE:
                capture = self.encoder.get_base_time() + rt
        with self.lock:
            targets = []
            for src, t in self.targets.items():
                if t[2] == WAIT_KEYFRAME and is_config:
                    t[2] = FLOWING  # parameter sets precede every keyframe: the client starts here
                if t[0].running and t[2] == FLOWING:
                    targets.append((src, t[1]))
        for src, pipe in targets:
            src.emit("push-buffer", restamp(buf, pipe, capture))
        return Gst.FlowReturn.OK

    def add(self, appsrc, cam, element):
        with self.lock:
            # [camera, element, state]: a client's stream starts at the first keyframe after its
            # PLAY, so it never gets frames whose references it lacks (matters for HEVC decoders)
            self.targets[appsrc] = [cam, element, WAIT_PLAY]
            config = list(self.config)
        for b in config:  # parameter sets first: the mount can answer DESCRIBE without waiting for an IDR
            appsrc.emit("push-buffer", restamp(b, None, None))

    def wait_keyframe(self, appsrc):
        with self.lock:
            t = self.targets.get(appsrc)
            if t is not None and t[2] == WAIT_PLAY:
                t[2] = WAIT_KEYFRAME

    def remove(self, appsrc):
        with self.lock:
            self.targets.pop(appsrc, None)


class Chain:
    """One encode (main + sub) and the feeds that fan it out: one shared by every camera without
    PTZ, and one per PTZ camera (each shows its own window of the scene, ptz_scene.py)."""

    def __init__(self, codec, scene=None):
        self.feeds = {"main": Feed("main", codec), "sub": Feed("sub", codec)}
        self.scene = scene
        self.encoder = None
        self.frames = None


class Camera:
    def __init__(self, index, chain):
        self.index = index
        self.chain = chain
        self.name = f"cam{index}"
        self.running = True
        self.factories = {}
        self.clients = set()


class Simulator:
    def __init__(self, args):
        self.args = args
        self.codec = Codec(args.codec)
        ptz = set(args.ptz)
        indices = range(1, args.cameras + 1)
        # Cameras without PTZ share one encode, as before; a PTZ camera has its own.
        shared = Chain(self.codec) if any(i not in ptz for i in indices) else None
        self.chains = ([shared] if shared else []) + [Chain(self.codec, PtzScene(args.width, args.height)) for _ in sorted(ptz)]
        ptz_chains = dict(zip(sorted(ptz), self.chains[1 if shared else 0:]))
        self.cameras = {i: Camera(i, ptz_chains.get(i, shared)) for i in indices}
        self.loop = GLib.MainLoop()
        self.server = None

    # ----- encode pipelines (once for all cameras without PTZ, once per PTZ camera) -----
    # GStreamer elements used, and the Debian package that brings each (several are only
    # Recommends of the others, so --no-install-recommends leaves them out).
    ELEMENT_PACKAGES = {
        "appsrc": "gstreamer1.0-plugins-base", "appsink": "gstreamer1.0-plugins-base",
        "videoscale": "gstreamer1.0-plugins-base", "tee": "gstreamer1.0-plugins-base (core)",
        "queue": "gstreamer1.0-plugins-base (core)", "identity": "gstreamer1.0-plugins-base (core)",
        "clockoverlay": "gstreamer1.0-x", "x264enc": "gstreamer1.0-plugins-ugly",
        "h264parse": "gstreamer1.0-plugins-bad", "rtph264pay": "gstreamer1.0-plugins-good",
        "x265enc": "gstreamer1.0-plugins-bad", "h265parse": "gstreamer1.0-plugins-bad",
        "rtph265pay": "gstreamer1.0-plugins-good",
    }

    def check_elements(self):
        """Fails at once, naming the package, when an element of the pipeline is not installed."""
        c = self.codec
        wanted = ["appsrc", "appsink", "videoscale", "tee", "queue", c.parse, c.pay.split()[0]]
        wanted += ["x265enc" if c.name == "h265" else "x264enc"]
        wanted += ["identity" if self.args.no_text else "clockoverlay"]
        missing = [e for e in wanted if Gst.ElementFactory.find(e) is None]
        if missing:
            names = ", ".join(f"{e} (Debian: {self.ELEMENT_PACKAGES.get(e, '?')})" for e in missing)
            raise SystemExit(f"media server: GStreamer elements missing: {names}")

    def build_encoder(self, chain):
        a, c = self.args, self.codec
        caps = f"video/x-raw,format=I420,width={a.width},height={a.height},framerate={a.fps}/1"
        text = ("clockoverlay halignment=left valignment=top "
                f"ypad={a.height // BAND_DIV + a.height // 60} xpad={a.width // 40} shaded-background=true "
                f"font-desc=\"DejaVu Sans Mono {max(8, a.height // 36)}\" "
                f"time-format=\"SIM %Y-%m-%d %H:%M:%S\"") if not a.no_text else "identity"
        rtp = f"{c.pay} config-interval=-1 mtu=60000 pt=96"
        sink = "appsink emit-signals=true sync=false max-buffers=200 drop=true"
        desc = (
            f"appsrc name=frames is-live=true format=time caps={caps} "
            f"max-bytes={a.width * a.height * 3} leaky-type=downstream ! {text} ! tee name=t "
            f"t. ! queue max-size-buffers=3 leaky=downstream ! {c.encoder(a.main_kbps, a.fps)} "
            f"! {c.parse} ! {rtp} ! {sink} name=main_sink "
            f"t. ! queue max-size-buffers=3 leaky=downstream ! videoscale method=bilinear "
            f"! video/x-raw,width={a.width // 2},height={a.height // 2} "
            f"! {c.encoder(a.sub_kbps, a.fps)} ! {c.parse} ! {rtp} ! {sink} name=sub_sink"
        )
        log("encoder pipeline:", desc)
        chain.encoder = encoder = Gst.parse_launch(desc)
        for kind in ("main", "sub"):
            chain.feeds[kind].encoder = encoder
            encoder.get_by_name(f"{kind}_sink").connect("new-sample", chain.feeds[kind].on_sample)
        bus = encoder.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_encoder_error)
        encoder.set_state(Gst.State.PLAYING)
        chain.frames = FrameSource(encoder.get_by_name("frames"), a.width, a.height, a.fps, chain.scene)
        chain.frames.start()

    def on_encoder_error(self, _bus, msg):
        err, dbg = msg.parse_error()
        log("encoder error:", err.message, dbg)
        emit({"event": "error", "message": f"encoder: {err.message}"})
        self.loop.quit()

    # ----- RTSP server -----
    def build_server(self):
        a = self.args
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address(a.address)
        self.server.set_service(str(a.port))
        self.server.set_backlog(64)
        self.mounts = self.server.get_mount_points()
        if a.auth != "none":
            auth = GstRtspServer.RTSPAuth()
            token = GstRtspServer.RTSPToken()
            token.set_string("media.factory.role", "user")
            if a.auth == "digest":
                auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
                auth.add_digest(a.user, a.password, token)
            else:
                auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
                auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), token)
            auth.set_realm("camera-sim")
            self.server.set_auth(auth)
        for cam in self.cameras.values():
            self.mount(cam)
        self.server.connect("client-connected", self.on_client_connected)
        if self.server.attach(None) == 0:
            raise RuntimeError(f"cannot listen on {a.address}:{a.port}")
        GLib.timeout_add_seconds(2, self.cleanup_sessions)

    def cleanup_sessions(self):
        self.server.get_session_pool().cleanup()
        return True

    def make_factory(self, cam, kind):
        c = self.codec
        # The mount's "payloader" is an appsrc fed with the RTP packets of the shared encode, so
        # every mount carries the same, smooth RTP timestamps. Its caps are the encoder-side
        # payloader's (they carry sprop-parameter-sets for the SDP).
        caps = cam.chain.feeds[kind].caps.to_string().replace('"', '\\"')
        launch = (
            "( appsrc name=pay0 is-live=true do-timestamp=true format=time "
            f"caps=\"{caps}\" max-bytes=4000000 leaky-type=downstream )"
        )
        f = GstRtspServer.RTSPMediaFactory()
        f.set_launch(launch)
        f.set_shared(False)  # one light media per client: each client starts at a keyframe
        f.set_latency(0)
        if self.args.auth != "none":
            perms = GstRtspServer.RTSPPermissions()
            perms.add_permission_for_role("user", "media.factory.access", True)
            perms.add_permission_for_role("user", "media.factory.construct", True)
            f.set_permissions(perms)
        f.connect("media-configure", self.on_media_configure, cam, kind)
        return f

    def mount(self, cam):
        for kind in ("main", "sub"):
            f = self.make_factory(cam, kind)
            cam.factories[kind] = f
            self.mounts.add_factory(f"/{cam.name}/{kind}", f)

    def unmount(self, cam):
        for kind in ("main", "sub"):
            self.mounts.remove_factory(f"/{cam.name}/{kind}")
        cam.factories = {}

    def on_media_configure(self, _factory, media, cam, kind):
        element = media.get_element()
        src = element.get_by_name("pay0")
        feed = cam.chain.feeds[kind]
        feed.add(src, cam, element)
        media.connect("unprepared", lambda _m: feed.remove(src))

        # Before the client's PLAY the server blocks the stream (after the replayed parameter sets
        # let the media preroll); live packets flow from the first keyframe after PLAY.
        def on_target_state(_m, state):
            if state == Gst.State.PLAYING:
                feed.wait_keyframe(src)

        media.connect("target-state", on_target_state)

    def on_client_connected(self, _server, client):
        def track(_client, ctx):
            if ctx.uri is None:
                return
            path = ctx.uri.abspath or ""
            parts = path.strip("/").split("/")
            if parts and parts[0].startswith("cam"):
                try:
                    cam = self.cameras.get(int(parts[0][3:]))
                except ValueError:
                    cam = None
                if cam is not None:
                    cam.clients.add(client)
                    client.connect("closed", lambda c: cam.clients.discard(c))

        client.connect("describe-request", track)
        client.connect("setup-request", track)

        # A client that vanishes without TEARDOWN (a recorder killed with SIGKILL) must not leave
        # its media behind: every live media gets a copy of each packet, so dead ones pile up
        # until the sessions time out (60 s by default) and starve the encoder thread. Short
        # timeouts (live clients keep their sessions alive well within it) and removal on close.
        client.connect("new-session", lambda _c, session: session.set_timeout(SESSION_TIMEOUT_S))

        def on_closed(c):
            c.session_filter(lambda _c, _s, *_a: GstRtspServer.RTSPFilterResult.REMOVE)
            self.server.get_session_pool().cleanup()

        client.connect("closed", on_closed)

    # ----- control -----
    def close_clients(self, cam):
        for client in list(cam.clients):
            client.close()
        cam.clients.clear()

    def stop_camera(self, cam, mode):
        if cam.running:
            cam.running = False
            self.unmount(cam)
        if mode == "close":
            self.close_clients(cam)

    def start_camera(self, cam):
        if not cam.running:
            # a power-cycled camera forgets its sessions: drop clients left stalled by the stop
            self.close_clients(cam)
            self.mount(cam)
            cam.running = True

    def status(self):
        return {
            "cameras": [{"index": c.index, "running": c.running, "clients": len(c.clients)}
                        for c in self.cameras.values()],
            "frames": self.chains[0].frames.frames if self.chains[0].frames else 0,
            "packets": {k: f.packets for k, f in self.chains[0].feeds.items()},
        }

    def on_stdin(self, source, _cond):
        line = source.readline()
        if not line:
            log("stdin closed, exiting")
            self.loop.quit()
            return False
        try:
            msg = json.loads(line)
            cmd = msg.get("cmd")
            if cmd in ("stop", "start"):
                cam = self.cameras.get(int(msg["camera"]))
                if cam is None:
                    raise ValueError(f"no camera {msg['camera']}")
                if cmd == "stop":
                    self.stop_camera(cam, msg.get("mode", "stall"))
                else:
                    self.start_camera(cam)
                emit({"event": "ack", "id": msg.get("id"), "ok": True, **self.status()})
            elif cmd == "ptz":
                cam = self.cameras.get(int(msg["camera"]))
                if cam is None or cam.chain.scene is None:
                    raise ValueError(f"camera {msg['camera']} has no PTZ")
                cam.chain.scene.set_segment(msg["segment"])
                emit({"event": "ack", "id": msg.get("id"), "ok": True})
            elif cmd == "status":
                emit({"event": "ack", "id": msg.get("id"), "ok": True, **self.status()})
            else:
                raise ValueError(f"unknown command {cmd!r}")
        except Exception as e:  # noqa: BLE001 - report every bad command to the parent
            emit({"event": "ack", "id": msg.get("id") if isinstance(msg, dict) else None,
                  "ok": False, "error": str(e)})
        return True

    def run(self):
        self.check_elements()
        for chain in self.chains:
            self.build_encoder(chain)
        for chain in self.chains:
            for feed in chain.feeds.values():
                if not feed.have_caps.wait(10):
                    raise RuntimeError(f"encoder produced no {feed.kind} stream within 10 s")
        self.build_server()
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, self.quit)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, self.quit)
        stdin = os.fdopen(sys.stdin.fileno(), "r", buffering=1)
        GLib.io_add_watch(stdin, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, self.on_stdin)
        emit({"event": "ready", "rtspPort": self.server.get_bound_port(), "pid": os.getpid()})
        self.loop.run()
        for chain in self.chains:
            chain.frames.stop()
            chain.encoder.set_state(Gst.State.NULL)

    def quit(self):
        self.loop.quit()
        return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cameras", type=int, default=1)
    p.add_argument("--port", type=int, default=8554)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--auth", choices=["digest", "basic", "none"], default="digest")
    p.add_argument("--user", default="admin")
    p.add_argument("--password", default="admin")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password as a JSON string on the first line of stdin (keeps it out of argv)")
    p.add_argument("--codec", choices=["h264", "h265"], default="h264")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=720)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--main-kbps", type=int, default=2000)
    p.add_argument("--sub-kbps", type=int, default=512)
    p.add_argument("--no-text", action="store_true")
    p.add_argument("--ptz", type=lambda v: [int(x) for x in v.split(",") if x], default=[],
                   help="cameras with pan-tilt-zoom (comma-separated indices): each gets its own encode")
    args = p.parse_args()
    if args.password_stdin:
        # byte by byte: stdin carries the control commands after this line
        line = b""
        while not line.endswith(b"\n"):
            b = os.read(0, 1)
            if not b:
                raise SystemExit("media server: stdin closed before the password line")
            line += b
        args.password = json.loads(line.decode("utf-8"))
    Gst.init(None)
    Simulator(args).run()


if __name__ == "__main__":
    main()
