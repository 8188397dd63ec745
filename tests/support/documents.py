"""Real files of each supported format, generated for the tests."""

from __future__ import annotations

from pathlib import Path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("中国共产党支部工作条例（试行）", level=0)
    document.add_heading("第一章　总则", level=1)
    document.add_paragraph("第一条　为了深入贯彻新时代党的建设总要求，制定本条例。")
    document.add_paragraph("第二条　党支部是党的基础组织，是党在社会基层组织中的战斗堡垒。")
    document.add_heading("第二章　组织生活", level=1)
    document.add_paragraph("第九条　党支部应当每月相对固定1天开展主题党日。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "会议"
    table.cell(0, 1).text = "频次"
    table.cell(1, 0).text = "支部委员会"
    table.cell(1, 1).text = "每月1次"
    document.add_paragraph("第十条　党支部每年至少召开1次组织生活会。")
    document.save(str(path))
    return path


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A small .docx with a title and paragraphs, as bytes (an upload)."""
    import io

    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 18
    pdf.save()
    return path


def write_scanned_pdf(path: Path) -> Path:
    """Pages with drawings only, as a scan without a text layer looks to a text extractor."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for _ in range(2):
        pdf.rect(50, 50, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    return path


CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def cjk_font_file() -> str | None:
    return next((f for f in CJK_FONT_FILES if Path(f).is_file()), None)


def write_scan_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    seed: int = 1,
    seal: bool = True,
    skew_degrees: float = 1.5,
    noise: float = 18.0,
) -> Path:
    """An image-only PDF as a scanner makes it: text rendered with a CJK font, a red seal over
    the lines near the bottom, a slight skew, grain and blur. An empty page list entry gives a
    page of noise only (unreadable)."""
    import random

    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font_file = cjk_font_file()
    assert font_file is not None, "no CJK font installed"
    rng = random.Random(seed)
    images = []
    for number, lines in enumerate(pages):
        image = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype(font_file, 26)
        y = 120
        for line in lines:
            draw.text((110, y), line, fill=(20, 20, 20), font=font)
            y += 40
        if seal and lines:
            top = max(200, y - 200)
            draw.ellipse((820, top, 1070, top + 250), outline=(220, 30, 30), width=8)
            draw.text(
                (875, top + 105),
                "中共某某县委",
                fill=(220, 30, 30),
                font=ImageFont.truetype(font_file, 30),
            )
        image = image.rotate(
            rng.uniform(-skew_degrees, skew_degrees),
            fillcolor="white",
            resample=Image.Resampling.BICUBIC,
        )
        pixels = np.asarray(image).astype(np.int16)
        grain = np.random.default_rng(seed + number).normal(0, noise, pixels.shape)
        pixels = np.clip(pixels + grain.astype(np.int16), 0, 255).astype(np.uint8)
        images.append(Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(0.6)))
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def wrap(text: str, width: int = 36) -> list[str]:
    """Text cut into lines of `width` characters, as printed on a page."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        while paragraph:
            lines.append(paragraph[:width])
            paragraph = paragraph[width:]
    return lines
