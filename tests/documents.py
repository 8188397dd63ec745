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
