"""The OCR engines: text lines (image crops) in, ``(text, confidence 0–1)`` out.

``RapidOCR`` (PyPI ``rapidocr-onnxruntime``: the PP-OCRv4 Chinese models ship inside its wheel, so nothing
is downloaded when it runs) is the one the importer uses; ``Tesseract`` (Debian's ``tesseract-ocr-chi-sim``)
is kept for the comparison (``bench/ocr_engines.py``). Both are optional: ``require`` installs RapidOCR
into the project's environment on first use (``pyproject`` extra ``ocr``) and says in Chinese what to do when
it cannot.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Protocol

#: What ``pip install`` is asked for: the ``ocr`` extra of pyproject.toml (pins kept in one place).
_EXTRA = "ocr"


class Engine(Protocol):
    name: str

    def lines(self, crops: list[Any]) -> list[tuple[str, float]]:
        """One ``(text, confidence)`` per crop (a single line of text, grayscale)."""
        ...

    def page(self, gray: Any) -> list[tuple[tuple[float, float, float, float], str, float]]:
        """Every line found on a page image: ``((x0, y0, x1, y1), text, confidence)``."""
        ...


class MissingOCR(ValueError):
    """The OCR engine is not installed and could not be."""


def _pins() -> list[str]:
    import tomllib

    root = Path(__file__).resolve().parents[3]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["optional-dependencies"][_EXTRA])


def require() -> None:
    """Import RapidOCR, installing the ``ocr`` extra into this environment first when it is missing."""
    try:
        import rapidocr_onnxruntime
        return
    except ImportError:
        pass
    try:
        pins = _pins()
    except (OSError, KeyError) as exc:
        raise MissingOCR(f"扫描件需要 OCR 组件（rapidocr-onnxruntime），但找不到 pyproject.toml 中的版本清单：{exc}") from None
    print(f"首次识别扫描件：正在安装 OCR 组件（{'、'.join(pins)}）……", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins],
                          capture_output=True, text=True, check=False, timeout=1800)
    if done.returncode != 0:
        raise MissingOCR("扫描件需要 OCR 组件，但安装失败：\n" + done.stderr.strip()[-600:] +
                         f"\n请联网后重试，或手动运行：{sys.executable} -m pip install " + " ".join(pins))
    import importlib

    importlib.invalidate_caches()
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError as exc:  # installed, yet it does not load (a missing system library)
        raise MissingOCR(f"OCR 组件已安装但无法加载：{exc}。"
                         "缺少系统库时，请以管理员身份运行：make system-import") from None


def _as_bgr(gray: Any) -> Any:
    import cv2

    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray


class RapidOCR:
    """PP-OCRv4 (ONNX) through rapidocr-onnxruntime."""

    name = "RapidOCR (PP-OCRv4, rapidocr-onnxruntime 1.4.4)"

    def __init__(self) -> None:
        require()
        from rapidocr_onnxruntime import RapidOCR as _Rapid

        self._engine = _Rapid()

    def lines(self, crops: list[Any]) -> list[tuple[str, float]]:
        if not crops:
            return []
        res, _ = self._engine.text_rec([_as_bgr(c) for c in crops])
        return [(str(t), float(s)) for t, s in res]

    def page(self, gray: Any) -> list[tuple[tuple[float, float, float, float], str, float]]:
        res, _ = self._engine(_as_bgr(gray), use_cls=False)
        out = []
        for box, text, score in res or []:
            xs = [p[0] for p in box]
            ys = [p[1] for p in box]
            out.append(((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
        return out


class Tesseract:
    """Tesseract 5 with Debian's chi_sim: every crop a page of one ``tesseract`` run (``--psm 7``: one line)."""

    name = "Tesseract 5 (tesseract-ocr-chi-sim)"

    def __init__(self) -> None:
        if shutil.which("tesseract") is None:
            raise MissingOCR("没有 tesseract：apt-get install tesseract-ocr tesseract-ocr-chi-sim")

    def lines(self, crops: list[Any]) -> list[tuple[str, float]]:
        import cv2

        if not crops:
            return []
        with tempfile.TemporaryDirectory(prefix="govreport-tess-") as tmp:
            names = []
            for i, c in enumerate(crops):
                name = f"{tmp}/{i:05d}.png"
                cv2.imwrite(name, c)
                names.append(name)
            Path(tmp, "list.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
            done = subprocess.run(["tesseract", f"{tmp}/list.txt", "stdout", "-l", "chi_sim", "--psm", "7", "tsv"],
                                  capture_output=True, text=True, check=False, timeout=600)
        words: dict[int, list[tuple[str, float]]] = {}
        for row in done.stdout.splitlines()[1:]:
            f = row.split("\t")
            if len(f) == 12 and f[0] == "5" and f[11].strip():
                words.setdefault(int(f[1]) - 1, []).append((f[11].strip(), float(f[10]) / 100))
        out = []
        for i in range(len(crops)):
            ws = words.get(i, [])
            out.append(("".join(w for w, _ in ws), min((c for _, c in ws), default=0.0)))
        return out

    def page(self, gray: Any) -> list[tuple[tuple[float, float, float, float], str, float]]:
        raise NotImplementedError("the comparison reads cells only")


@functools.cache
def engine() -> Engine:
    """The importer's engine (one per process: loading the models takes a second)."""
    return RapidOCR()
