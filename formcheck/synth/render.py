"""Camera and a small numba SDF ray-marcher.

Per ray, only the primitives whose bounding spheres the ray crosses are
marched (the main speed-up); the floor (y = 0) and the wall behind the lifter
(z = ``wall_z``) are planes intersected exactly. Shading: one key light with
soft shadows, a fill light, hemispherical ambient with ambient occlusion, a
little specular; stratified ``ss`` x ``ss`` supersampling; sRGB output.

The kernel is compiled on first use and cached on disk by numba.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from .primitives import ELLIPSOID, ROUND_BOX, ROUND_CONE, SPHERE, PackedScene, srgb_to_linear

# Ray-march settings.
MAX_STEPS = 160
#: Fraction of the SDF value stepped (approximate ellipsoid distances overshoot otherwise).
STEP_SCALE = 0.9
#: A hit is closer than this many pixels' footprint.
HIT_PIXELS = 0.5
SHADOW_STEPS = 48
SHADOW_FAR_M = 4.0
#: Penumbra sharpness of the key light's soft shadows (larger = harder).
SHADOW_SOFTNESS = 12.0
AO_SAMPLES = 5
AO_STEP_M = 0.03
AO_STRENGTH = 2.2
NORMAL_EPS_M = 0.0008
#: Floor tiles (rubber gym floor) edge length and seam width, metres.
TILE_M = 1.0
SEAM_M = 0.008
SEAM_DARKEN = 0.8
FAR_M = 60.0

# Layout of the environment vector handed to the kernel.
E_KEY, E_FILL, E_KEY_RGB, E_FILL_K, E_AMB, E_WALL_Z, E_FLOOR, E_WALL, E_SKY, E_SIZE = 0, 3, 6, 9, 10, 11, 12, 15, 18, 21


@dataclass(frozen=True)
class Environment:
    """Room and lights. Colours in sRGB 0..1; directions point towards the light."""

    key_dir: tuple[float, float, float] = (0.35, 0.85, 0.6)
    key_rgb: tuple[float, float, float] = (1.05, 1.0, 0.93)
    fill_dir: tuple[float, float, float] = (-0.7, 0.35, 0.45)
    fill: float = 0.22
    ambient: float = 0.42
    wall_z: float = -2.6
    floor_rgb: tuple[float, float, float] = (0.32, 0.33, 0.36)
    wall_rgb: tuple[float, float, float] = (0.80, 0.78, 0.74)
    sky_rgb: tuple[float, float, float] = (0.85, 0.85, 0.85)

    def vector(self) -> np.ndarray:
        out = np.zeros(E_SIZE)
        out[E_KEY : E_KEY + 3] = np.array(self.key_dir) / np.linalg.norm(self.key_dir)
        out[E_FILL : E_FILL + 3] = np.array(self.fill_dir) / np.linalg.norm(self.fill_dir)
        out[E_KEY_RGB : E_KEY_RGB + 3] = self.key_rgb
        out[E_FILL_K], out[E_AMB], out[E_WALL_Z] = self.fill, self.ambient, self.wall_z
        out[E_FLOOR : E_FLOOR + 3] = srgb_to_linear(self.floor_rgb)
        out[E_WALL : E_WALL + 3] = srgb_to_linear(self.wall_rgb)
        out[E_SKY : E_SKY + 3] = srgb_to_linear(self.sky_rgb)
        return out


# ---------------------------------------------------------------- camera


@dataclass(frozen=True)
class Camera:
    """Pinhole camera. Pixel (x right, y down) = principal point + focal * (right, -up) / depth."""

    position: np.ndarray
    right: np.ndarray
    up: np.ndarray
    forward: np.ndarray
    focal_px: float
    cx: float
    cy: float
    width: int
    height: int

    def project(self, points: np.ndarray) -> np.ndarray:
        """Pixel coordinates (..., 2) of world points (..., 3)."""
        rel = np.asarray(points, dtype=float) - self.position
        depth = rel @ self.forward
        x = self.cx + self.focal_px * (rel @ self.right) / depth
        y = self.cy - self.focal_px * (rel @ self.up) / depth
        return np.stack([x, y], axis=-1)

    def vector(self) -> np.ndarray:
        return np.concatenate([self.position, self.right, self.up, self.forward, [self.focal_px, self.cx, self.cy]])

    def to_dict(self) -> dict:
        return {
            "position_m": [round(float(v), 4) for v in self.position],
            "forward": [round(float(v), 5) for v in self.forward],
            "focal_px": round(self.focal_px, 3),
            "cx": round(self.cx, 3),
            "cy": round(self.cy, 3),
        }


def look_at(position, target) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Right, up and forward unit vectors of a level camera at ``position`` aimed at ``target``."""
    forward = np.asarray(target, dtype=float) - np.asarray(position, dtype=float)
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, [0.0, 1.0, 0.0])
    right /= np.linalg.norm(right)
    return right, np.cross(right, forward), forward


def fit_camera(
    position, target, content: np.ndarray, width: int, height: int, margin: float, fov_deg: float | None = None
) -> Camera:
    """Aim at ``target`` and choose focal length and principal point so ``content`` fills the frame.

    With ``fov_deg`` (vertical field of view) the focal length is fixed and
    the principal point is the image centre instead.
    """
    position = np.asarray(position, dtype=float)
    right, up, forward = look_at(position, target)
    if fov_deg is not None:
        focal = 0.5 * height / math.tan(math.radians(fov_deg) / 2.0)
        return Camera(position, right, up, forward, focal, width / 2.0, height / 2.0, width, height)
    rel = np.asarray(content, dtype=float).reshape(-1, 3) - position
    depth = rel @ forward
    u, v = (rel @ right) / depth, (rel @ up) / depth
    span_u, span_v = max(u.max() - u.min(), 1e-6), max(v.max() - v.min(), 1e-6)
    focal = min(width * (1 - 2 * margin) / span_u, height * (1 - 2 * margin) / span_v)
    cx = width / 2.0 - focal * 0.5 * (u.max() + u.min())
    cy = height / 2.0 + focal * 0.5 * (v.max() + v.min())
    return Camera(position, right, up, forward, float(focal), float(cx), float(cy), width, height)


# ---------------------------------------------------------------- SDF kernel


@njit(cache=True, fastmath=True, inline="always")
def _dist(i, x, y, z, kind, geo, rinv):
    g = geo[i]
    k = kind[i]
    if k == SPHERE:
        dx, dy, dz = x - g[0], y - g[1], z - g[2]
        return math.sqrt(dx * dx + dy * dy + dz * dz) - g[6]
    if k == ROUND_CONE:  # exact round cone (Quilez)
        pax, pay, paz = x - g[0], y - g[1], z - g[2]
        bax, bay, baz = g[8], g[9], g[10]
        l2, rr, a2, il2 = g[11], g[12], g[13], g[14]
        yv = pax * bax + pay * bay + paz * baz
        zv = yv - l2
        qx, qy, qz = pax * l2 - bax * yv, pay * l2 - bay * yv, paz * l2 - baz * yv
        x2 = qx * qx + qy * qy + qz * qz
        y2 = yv * yv * l2
        z2 = zv * zv * l2
        kk = math.copysign(1.0, rr) * rr * rr * x2
        if math.copysign(1.0, zv) * a2 * z2 > kk:
            return math.sqrt(x2 + z2) * il2 - g[7]
        if math.copysign(1.0, yv) * a2 * y2 < kk:
            return math.sqrt(x2 + y2) * il2 - g[6]
        return (math.sqrt(max(x2 * a2 * il2, 0.0)) + yv * rr) * il2 - g[6]
    if k == ELLIPSOID or k == ROUND_BOX:
        dx, dy, dz = x - g[0], y - g[1], z - g[2]
        r = rinv[i]
        lx = r[0, 0] * dx + r[0, 1] * dy + r[0, 2] * dz
        ly = r[1, 0] * dx + r[1, 1] * dy + r[1, 2] * dz
        lz = r[2, 0] * dx + r[2, 1] * dy + r[2, 2] * dz
        if k == ELLIPSOID:
            ax, ay, az = lx / g[6], ly / g[7], lz / g[8]
            k0 = math.sqrt(ax * ax + ay * ay + az * az)
            bx, by, bz = ax / g[6], ay / g[7], az / g[8]
            k1 = math.sqrt(bx * bx + by * by + bz * bz)
            if k1 < 1e-12:
                return -min(g[6], min(g[7], g[8]))
            return k0 * (k0 - 1.0) / k1
        qx, qy, qz = abs(lx) - g[6], abs(ly) - g[7], abs(lz) - g[8]
        ox, oy, oz = max(qx, 0.0), max(qy, 0.0), max(qz, 0.0)
        return math.sqrt(ox * ox + oy * oy + oz * oz) + min(max(qx, max(qy, qz)), 0.0) - g[9]
    # CYLINDER (Quilez capped cylinder)
    pax, pay, paz = x - g[0], y - g[1], z - g[2]
    bax, bay, baz = g[8], g[9], g[10]
    baba = g[11]
    paba = pax * bax + pay * bay + paz * baz
    cx, cy, cz = pax * baba - bax * paba, pay * baba - bay * paba, paz * baba - baz * paba
    xx = math.sqrt(cx * cx + cy * cy + cz * cz) - g[6] * baba
    yy = abs(paba - baba * 0.5) - baba * 0.5
    x2 = xx * xx
    y2 = yy * yy * baba
    if max(xx, yy) < 0.0:
        d = -min(x2, y2)
    else:
        d = (x2 if xx > 0.0 else 0.0) + (y2 if yy > 0.0 else 0.0)
    return math.copysign(math.sqrt(abs(d)), d) / baba


@njit(cache=True, fastmath=True, inline="always")
def _axial(i, x, y, z, kind, geo, rinv):
    """Where along its length a point of primitive ``i`` lies, 0..1 (picks the colour)."""
    g = geo[i]
    k = kind[i]
    if k == ROUND_CONE:
        t = ((x - g[0]) * g[8] + (y - g[1]) * g[9] + (z - g[2]) * g[10]) * g[14]
        return min(max(t, 0.0), 1.0)
    if k == ELLIPSOID or k == ROUND_BOX:
        r = rinv[i]
        ly = r[1, 0] * (x - g[0]) + r[1, 1] * (y - g[1]) + r[1, 2] * (z - g[2])
        return 0.5 + 0.5 * ly / g[7]
    return 0.0


@njit(cache=True, fastmath=True)
def _sdf(x, y, z, ids, n, kind, geo, rinv, blend):
    d = 1e9
    for j in range(n):
        i = ids[j]
        di = _dist(i, x, y, z, kind, geo, rinv)
        k = blend[i]
        if k > 0.0:
            h = min(max(0.5 + 0.5 * (di - d) / k, 0.0), 1.0)
            d = di + (d - di) * h - k * h * (1.0 - h)
        elif di < d:
            d = di
    return d


@njit(cache=True, fastmath=True)
def _sdf_color(x, y, z, ids, n, kind, geo, rinv, blend, color, split, specular):
    """Distance, linear colour and specular weight at a surface point."""
    d = 1e9
    r = gg = b = s = 0.0
    for j in range(n):
        i = ids[j]
        di = _dist(i, x, y, z, kind, geo, rinv)
        c = 0 if _axial(i, x, y, z, kind, geo, rinv) < split[i] else 1
        k = blend[i]
        if k > 0.0:
            h = min(max(0.5 + 0.5 * (di - d) / k, 0.0), 1.0)
            d = di + (d - di) * h - k * h * (1.0 - h)
        elif di < d:
            d = di
            h = 0.0
        else:
            h = 1.0
        r = color[i, c, 0] + (r - color[i, c, 0]) * h
        gg = color[i, c, 1] + (gg - color[i, c, 1]) * h
        b = color[i, c, 2] + (b - color[i, c, 2]) * h
        s = specular[i] + (s - specular[i]) * h
    return d, r, gg, b, s


@njit(cache=True, fastmath=True)
def _cull(ox, oy, oz, dx, dy, dz, t_max, bound, out):
    """Primitives whose bounding spheres the ray meets before ``t_max``; and the t range they span."""
    n = 0
    t0, t1 = 1e30, -1e30
    for i in range(bound.shape[0]):
        px, py, pz = ox - bound[i, 0], oy - bound[i, 1], oz - bound[i, 2]
        b = px * dx + py * dy + pz * dz
        c = px * px + py * py + pz * pz - bound[i, 3] * bound[i, 3]
        disc = b * b - c
        if disc <= 0.0:
            continue
        sq = math.sqrt(disc)
        ta, tb = -b - sq, -b + sq
        if tb < 0.0 or ta > t_max:
            continue
        out[n] = i
        n += 1
        t0 = min(t0, max(ta, 0.0))
        t1 = max(t1, min(tb, t_max))
    return n, t0, t1


@njit(cache=True, fastmath=True)
def _near(x, y, z, radius, bound, out):
    n = 0
    for i in range(bound.shape[0]):
        dx, dy, dz = x - bound[i, 0], y - bound[i, 1], z - bound[i, 2]
        reach = bound[i, 3] + radius
        if dx * dx + dy * dy + dz * dz < reach * reach:
            out[n] = i
            n += 1
    return n


@njit(cache=True, fastmath=True)
def _shadow(x, y, z, lx, ly, lz, kind, geo, rinv, blend, bound, scratch):
    n, t0, t1 = _cull(x, y, z, lx, ly, lz, SHADOW_FAR_M, bound, scratch)
    if n == 0:
        return 1.0
    res = 1.0
    t = max(t0, 0.004)
    for _ in range(SHADOW_STEPS):
        if t > t1:
            break
        h = _sdf(x + lx * t, y + ly * t, z + lz * t, scratch, n, kind, geo, rinv, blend)
        res = min(res, SHADOW_SOFTNESS * h / t)
        if res < 0.002:
            return 0.0
        t += min(max(h, 0.004), 0.15)
    res = min(max(res, 0.0), 1.0)
    return res * res * (3.0 - 2.0 * res)


@njit(cache=True, fastmath=True)
def _occlusion(x, y, z, nx, ny, nz, wall_z, kind, geo, rinv, blend, bound, scratch):
    n = _near(x, y, z, AO_SAMPLES * AO_STEP_M + 0.02, bound, scratch)
    occ, weight = 0.0, 1.0
    for s in range(1, AO_SAMPLES + 1):
        h = 0.01 + AO_STEP_M * s
        px, py, pz = x + nx * h, y + ny * h, z + nz * h
        d = min(py, pz - wall_z)
        if n > 0:
            d = min(d, _sdf(px, py, pz, scratch, n, kind, geo, rinv, blend))
        occ += (h - d) * weight
        weight *= 0.7
    return min(max(1.0 - AO_STRENGTH * occ, 0.0), 1.0)


@njit(cache=True, fastmath=True)
def _shade(x, y, z, nx, ny, nz, vx, vy, vz, r, g, b, spec, env, kind, geo, rinv, blend, bound, scratch):
    lx, ly, lz = env[E_KEY], env[E_KEY + 1], env[E_KEY + 2]
    e = 0.002
    sh = _shadow(x + nx * e, y + ny * e, z + nz * e, lx, ly, lz, kind, geo, rinv, blend, bound, scratch)
    ao = _occlusion(x, y, z, nx, ny, nz, env[E_WALL_Z], kind, geo, rinv, blend, bound, scratch)
    ndl = max(nx * lx + ny * ly + nz * lz, 0.0) * sh
    ndf = max(nx * env[E_FILL] + ny * env[E_FILL + 1] + nz * env[E_FILL + 2], 0.0) * env[E_FILL_K]
    amb = env[E_AMB] * ao * (0.55 + 0.45 * ny)
    hx, hy, hz = lx - vx, ly - vy, lz - vz
    hn = math.sqrt(hx * hx + hy * hy + hz * hz) + 1e-9
    highlight = spec * sh * max((nx * hx + ny * hy + nz * hz) / hn, 0.0) ** 32
    out_r = r * (env[E_KEY_RGB] * ndl + ndf + amb) + highlight * env[E_KEY_RGB]
    out_g = g * (env[E_KEY_RGB + 1] * ndl + ndf + amb) + highlight * env[E_KEY_RGB + 1]
    out_b = b * (env[E_KEY_RGB + 2] * ndl + ndf + amb) + highlight * env[E_KEY_RGB + 2]
    return out_r, out_g, out_b


@njit(cache=True, fastmath=True)
def _trace(
    ox, oy, oz, dx, dy, dz, pixel_angle, env, kind, geo, rinv, blend, color, split, specular, bound, cand, scratch
):
    wall_z = env[E_WALL_Z]
    t_floor = -oy / dy if dy < -1e-9 else 1e30
    t_wall = (wall_z - oz) / dz if dz < -1e-9 else 1e30
    t_plane = min(min(t_floor, t_wall), FAR_M)
    n, t, t1 = _cull(ox, oy, oz, dx, dy, dz, t_plane, bound, cand)
    hit = False
    if n > 0:
        for _ in range(MAX_STEPS):
            if t > t1:
                break
            d = _sdf(ox + dx * t, oy + dy * t, oz + dz * t, cand, n, kind, geo, rinv, blend)
            if d < HIT_PIXELS * pixel_angle * t:
                hit = True
                break
            t += d * STEP_SCALE
    if hit:
        x, y, z = ox + dx * t, oy + dy * t, oz + dz * t
        e = NORMAL_EPS_M
        d1 = _sdf(x + e, y - e, z - e, cand, n, kind, geo, rinv, blend)
        d2 = _sdf(x - e, y - e, z + e, cand, n, kind, geo, rinv, blend)
        d3 = _sdf(x - e, y + e, z - e, cand, n, kind, geo, rinv, blend)
        d4 = _sdf(x + e, y + e, z + e, cand, n, kind, geo, rinv, blend)
        nx, ny, nz = d1 - d2 - d3 + d4, -d1 - d2 + d3 + d4, -d1 + d2 - d3 + d4
        nn = math.sqrt(nx * nx + ny * ny + nz * nz) + 1e-12
        nx, ny, nz = nx / nn, ny / nn, nz / nn
        _, r, g, b, s = _sdf_color(x, y, z, cand, n, kind, geo, rinv, blend, color, split, specular)
        return _shade(x, y, z, nx, ny, nz, dx, dy, dz, r, g, b, s, env, kind, geo, rinv, blend, bound, scratch)
    if t_plane >= FAR_M:
        return env[E_SKY], env[E_SKY + 1], env[E_SKY + 2]
    x, y, z = ox + dx * t_plane, oy + dy * t_plane, oz + dz * t_plane
    if t_floor <= t_wall:
        fx, fz = x / TILE_M - math.floor(x / TILE_M), z / TILE_M - math.floor(z / TILE_M)
        edge = SEAM_M / TILE_M
        tone = SEAM_DARKEN if (fx < edge or fz < edge) else 1.0
        return _shade(
            x,
            0.0,
            z,
            0.0,
            1.0,
            0.0,
            dx,
            dy,
            dz,
            env[E_FLOOR] * tone,
            env[E_FLOOR + 1] * tone,
            env[E_FLOOR + 2] * tone,
            0.0,
            env,
            kind,
            geo,
            rinv,
            blend,
            bound,
            scratch,
        )
    return _shade(
        x,
        y,
        wall_z,
        0.0,
        0.0,
        1.0,
        dx,
        dy,
        dz,
        env[E_WALL],
        env[E_WALL + 1],
        env[E_WALL + 2],
        0.0,
        env,
        kind,
        geo,
        rinv,
        blend,
        bound,
        scratch,
    )


@njit(cache=True, fastmath=True, parallel=True)
def _render(width, height, ss, cam, env, kind, geo, rinv, blend, color, split, specular, bound):
    img = np.zeros((height, width, 3), dtype=np.float32)
    n = kind.shape[0]
    ox, oy, oz = cam[0], cam[1], cam[2]
    focal, cx, cy = cam[12], cam[13], cam[14]
    pixel_angle = 1.0 / focal
    inv = 1.0 / (ss * ss)
    for row in prange(height):
        cand = np.empty(max(n, 1), dtype=np.int64)
        scratch = np.empty(max(n, 1), dtype=np.int64)
        for col in range(width):
            ar = ag = ab = 0.0
            for sy in range(ss):
                for sx in range(ss):
                    u = (col + (sx + 0.5) / ss - cx) / focal
                    v = (cy - (row + (sy + 0.5) / ss)) / focal
                    dx = cam[9] + u * cam[3] + v * cam[6]
                    dy = cam[10] + u * cam[4] + v * cam[7]
                    dz = cam[11] + u * cam[5] + v * cam[8]
                    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
                    r, g, b = _trace(
                        ox,
                        oy,
                        oz,
                        dx / dn,
                        dy / dn,
                        dz / dn,
                        pixel_angle,
                        env,
                        kind,
                        geo,
                        rinv,
                        blend,
                        color,
                        split,
                        specular,
                        bound,
                        cand,
                        scratch,
                    )
                    ar += r
                    ag += g
                    ab += b
            img[row, col, 0] = ar * inv
            img[row, col, 1] = ag * inv
            img[row, col, 2] = ab * inv
    return img


def to_srgb8(linear: np.ndarray) -> np.ndarray:
    """Linear RGB float image to 8-bit sRGB (simple gamma 2.2)."""
    return (np.power(np.clip(linear, 0.0, 1.0), 1.0 / 2.2) * 255.0 + 0.5).astype(np.uint8)


def render_frame(scene: PackedScene, camera: Camera, env: Environment, supersample: int = 2) -> np.ndarray:
    """One RGB frame (H, W, 3) uint8 of a packed scene."""
    img = _render(
        camera.width,
        camera.height,
        int(supersample),
        camera.vector(),
        env.vector(),
        scene.kind,
        scene.geo,
        scene.rinv,
        scene.blend,
        scene.color,
        scene.split,
        scene.specular,
        scene.bound,
    )
    return to_srgb8(img)
