"""The printable work order: what the service's crew takes out on paper. It carries the
case's facts, a sketch map and the public photos; never the reporter (who reported a case
stays with the contact center)."""

import math
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from civicline.directory import geo
from civicline.directory.models import Area
from civicline.workorders.models import WorkOrder

FONTS = Path(__file__).parent / "fonts" / "dejavu-2.37"
FONT = "DejaVu"
MARGIN = 15
MAP_HEIGHT = 70
MAP_SPAN_M = 3000  # the sketch shows about this many metres across
PHOTO_HEIGHT = 45


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "d.m.Y H:i") if moment else "—"


class _Document(FPDF):
    def __init__(self, order: WorkOrder):
        super().__init__(format="A4")
        self.order = order
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 5)
        self.set_title(_("Work order %(number)d") % {"number": order.pk})
        self.set_creator("civicline")
        self.set_creation_date(timezone.now())

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(
            0,
            5,
            _("Work order %(number)d · case %(reference)s · page %(page)d")
            % {
                "number": self.order.pk,
                "reference": self.order.case.reference,
                "page": self.page_no(),
            },
            align="C",
        )
        self.set_text_color(0)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 11)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        label_width = 45
        for label, value in rows:
            self.set_font(FONT, "B", 9)
            self.cell(label_width, 6, label)
            self.set_font(FONT, "", 10)
            self.multi_cell(0, 6, value or "—", new_x="LMARGIN", new_y="NEXT", align="L")


def _areas_near(longitude: float, latitude: float, half_lon: float, half_lat: float):
    """Areas whose boundary box meets the sketch's frame."""
    for area in Area.objects.exclude(boundary=None).only("name", "boundary"):
        box = geo.bounding_box(area.boundary)
        if box is None:
            continue
        west, south, east, north = box
        if (
            west <= longitude + half_lon
            and east >= longitude - half_lon
            and south <= latitude + half_lat
            and north >= latitude - half_lat
        ):
            yield area


def _sketch_map(pdf: _Document, latitude: float, longitude: float) -> None:
    """A sketch of the spot among the city's areas (boundaries and names) with a scale
    bar: drawn from the directory's own GeoJSON, so printing needs no tile server."""
    x0, y0 = pdf.l_margin, pdf.get_y()
    width, height = pdf.w - 2 * MARGIN, MAP_HEIGHT
    metres_per_lat = 111_320.0
    metres_per_lon = metres_per_lat * math.cos(math.radians(latitude))
    scale = width / MAP_SPAN_M  # mm per metre
    half_lon = (width / 2 / scale) / metres_per_lon
    half_lat = (height / 2 / scale) / metres_per_lat

    def to_page(lon: float, lat: float) -> tuple[float, float]:
        return (
            x0 + width / 2 + (lon - longitude) * metres_per_lon * scale,
            y0 + height / 2 - (lat - latitude) * metres_per_lat * scale,
        )

    pdf.set_draw_color(120)
    pdf.set_line_width(0.3)
    pdf.rect(x0, y0, width, height)
    with pdf.rect_clip(x0, y0, width, height):
        pdf.set_draw_color(60, 110, 170)
        pdf.set_line_width(0.5)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(60, 110, 170)
        for area in _areas_near(longitude, latitude, half_lon, half_lat):
            for polygon in geo.polygons(area.boundary):
                for ring in polygon:
                    pdf.polygon([to_page(lon, lat) for lon, lat in ring], style="D")
            west, south, east, north = geo.bounding_box(area.boundary)
            # The name at the middle of the part of the area inside the frame.
            label_x, label_y = to_page(
                (max(west, longitude - half_lon) + min(east, longitude + half_lon)) / 2,
                (max(south, latitude - half_lat) + min(north, latitude + half_lat)) / 2,
            )
            spot_x, spot_y = to_page(longitude, latitude)
            if abs(label_x - spot_x) < 25 and abs(label_y - spot_y) < 8:
                label_y = spot_y - 9  # keep the name clear of the marker
            pdf.text(label_x - pdf.get_string_width(area.name) / 2, label_y, area.name)
        pdf.set_text_color(0)
        spot_x, spot_y = to_page(longitude, latitude)
        pdf.set_draw_color(200, 0, 0)
        pdf.set_fill_color(200, 0, 0)
        pdf.circle(spot_x, spot_y, 2.2, style="F")
        pdf.set_line_width(0.4)
        pdf.line(spot_x - 6, spot_y, spot_x + 6, spot_y)
        pdf.line(spot_x, spot_y - 6, spot_x, spot_y + 6)
    # Scale bar: 500 m.
    bar = 500 * scale
    pdf.set_draw_color(0)
    pdf.set_line_width(0.6)
    pdf.line(x0 + 4, y0 + height - 4, x0 + 4 + bar, y0 + height - 4)
    pdf.set_font(FONT, "", 7)
    pdf.text(x0 + 4, y0 + height - 5.5, "500 m")
    pdf.text(x0 + width - 6, y0 + 6, "N ↑")
    pdf.set_y(y0 + height + 2)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0,
        5,
        f"{latitude:.6f}, {longitude:.6f} · https://www.openstreetmap.org/"
        f"?mlat={latitude:.6f}&mlon={longitude:.6f}#map=18/{latitude:.6f}/{longitude:.6f}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )


def _photos(pdf: _Document, photos) -> None:
    x = pdf.l_margin
    for photo in photos:
        with photo.published.open("rb") as file:
            if pdf.get_y() + PHOTO_HEIGHT + 8 > pdf.h - pdf.b_margin:
                pdf.add_page()
                x = pdf.l_margin
            y = pdf.get_y()
            info = pdf.image(file, x=x, y=y, h=PHOTO_HEIGHT)
        pdf.set_xy(x, y + PHOTO_HEIGHT + 0.5)
        pdf.set_font(FONT, "", 8)
        taken = _when(photo.taken_at or photo.created_at)
        pdf.cell(info.rendered_width, 4, f"{photo.get_stage_display()} · {taken}")
        x += info.rendered_width + 5
        if x + 40 > pdf.w - pdf.r_margin:  # no room for another beside it
            x = pdf.l_margin
            pdf.set_xy(x, y + PHOTO_HEIGHT + 7)
        else:
            pdf.set_xy(x, y)
    if x != pdf.l_margin:
        pdf.set_y(pdf.get_y() + PHOTO_HEIGHT + 7)


def work_order_pdf(order: WorkOrder, photos) -> bytes:
    """The work order as an A4 PDF, in the active language."""
    case = order.case
    pdf = _Document(order)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, _("Work order %(number)d") % {"number": order.pk}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, case.organisation.name, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    sender = order.created_by.get_full_name() if order.created_by else ""
    pdf.facts(
        [
            (_("To"), order.assignee),
            (_("Phone"), (order.team.phone if order.team_id else "") or order.organisation.phone),
            (_("Work"), order.get_kind_display()),
            (_("State"), order.get_state_display()),
            (_("Sent"), f"{_when(order.created_at)} · {sender}".strip(" ·")),
            (_("Case"), f"{case.reference} · {case.category.name}"),
            (_("Registered"), _when(case.created_at)),
            (_("Address"), " · ".join(filter(None, [case.address, case.area and case.area.name]))),
        ]
    )
    if order.instructions:
        pdf.heading(_("Instructions"))
        pdf.multi_cell(0, 6, order.instructions, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.heading(_("Description"))
    pdf.multi_cell(0, 6, case.description, new_x="LMARGIN", new_y="NEXT", align="L")
    if case.latitude is not None and case.longitude is not None:
        pdf.heading(_("Map"))
        if pdf.get_y() + MAP_HEIGHT + 10 > pdf.h - pdf.b_margin:
            pdf.add_page()
        _sketch_map(pdf, float(case.latitude), float(case.longitude))
    if photos:
        pdf.heading(_("Photos"))
        _photos(pdf, photos)
    pdf.heading(_("Done"))
    pdf.set_font(FONT, "", 10)
    for line in (_("Date and time"), _("What was done"), "", _("Name and signature")):
        pdf.cell(0, 9, f"{line}{':' if line else ''} " + "_" * 60, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 8)
    link = settings.SITE_URL.rstrip("/") + reverse("field-order", args=[order.pk])
    pdf.multi_cell(
        0,
        4,
        _("Close the order with its photos at %(link)s") % {"link": link},
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    return bytes(pdf.output())
