"""The small values a layout is made of: lengths, CMYK colours, paper sizes."""

from __future__ import annotations

import pytest

from handbill.units import MM, PAPER_SIZES, Length, parse_cmyk, parse_length, parse_mm, parse_paper, parse_pt, with_article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12mm", Length(12, "mm")),
        ("1.5cm", Length(15, "mm")),
        ("0.5in", Length(12.7, "mm")),
        ("24pt", Length(24, "pt")),
        ("40%", Length(40, "%")),
        (" 3 mm ", Length(3, "mm")),
    ],
)
def test_a_length_is_read_in_every_unit(text, expected):
    length = parse_length(text)
    assert length.unit == expected.unit
    assert length.value == pytest.approx(expected.value)


def test_lengths_convert_to_points():
    assert parse_length("25.4mm").to_pt() == pytest.approx(72)
    assert parse_length("1in").to_pt() == pytest.approx(72)
    assert parse_length("50%").to_pt(200) == pytest.approx(100)
    assert MM == pytest.approx(2.834645669)


@pytest.mark.parametrize("number", [12, 1.5])
def test_a_bare_number_is_refused_with_the_fix(number):
    with pytest.raises(ValueError, match=rf'no unit; write "{number}mm"'):
        parse_length(number)


@pytest.mark.parametrize("text", ["12", "12 px", "mm", "twelve mm", ""])
def test_a_length_without_a_known_unit_is_refused_naming_the_units(text):
    with pytest.raises(ValueError, match="mm, cm, in, pt or %"):
        parse_length(text)


def test_absolute_lengths_refuse_percentages():
    with pytest.raises(ValueError, match="mm, cm, in or pt"):
        parse_mm("10%")
    assert parse_mm("72pt") == pytest.approx(25.4)
    assert parse_pt("25.4mm") == pytest.approx(72)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cmyk(0,100,100,0)", (0, 1, 1, 0)),
        ("cmyk(0, 95, 90, 0)", (0, 0.95, 0.9, 0)),
        ("CMYK(60%,40%,40%,100%)", (0.6, 0.4, 0.4, 1)),
        ("cmyk(0,0,0,0)", (0, 0, 0, 0)),
    ],
)
def test_a_cmyk_colour_is_read_in_percent_ink(text, expected):
    assert parse_cmyk(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["cmyk(0,101,0,0)", "cmyk(-1,0,0,0)", "cmyk(0,0,0)", "cmyk(0,0,0,0,0)", "cmyk(a,b,c,d)"])
def test_a_cmyk_colour_out_of_range_or_malformed_is_refused(text):
    with pytest.raises(ValueError, match="four numbers from 0 to 100"):
        parse_cmyk(text)


@pytest.mark.parametrize("text", ["#ff0000", "rgb(255,0,0)", "RGB(1,2,3)"])
def test_rgb_and_hex_colours_are_refused_naming_cmyk(text):
    with pytest.raises(ValueError, match="CMYK, not RGB") as caught:
        parse_cmyk(text)
    assert "cmyk(c,m,y,k)" in str(caught.value)


@pytest.mark.parametrize("name", list(PAPER_SIZES))
def test_every_named_paper_size_is_known(name):
    paper = parse_paper(name)
    short, long = PAPER_SIZES[name]
    assert (paper.width_mm, paper.height_mm) == (short, long)
    assert paper.width_mm <= paper.height_mm


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("A4", (210, 297)),
        ("A3", (297, 420)),
        ("a5", (148, 210)),
        ("Letter", (215.9, 279.4)),
        ("Legal", (215.9, 355.6)),
        ("Tabloid", (279.4, 431.8)),
        ("long bond", (215.9, 330.2)),
        ("long-bond", (215.9, 330.2)),
        ("folio", (215.9, 330.2)),
    ],
)
def test_paper_sizes_are_the_standard_ones(name, size):
    paper = parse_paper(name)
    assert (paper.width_mm, paper.height_mm) == pytest.approx(size)


@pytest.mark.parametrize("text", ["210mm x 297mm", "210 x 297 mm", "297 x 210 mm", "210×297mm", "210x297mm", "21 x 29.7 cm"])
def test_a_paper_size_in_mm_is_read(text):
    paper = parse_paper(text)
    assert (paper.width_mm, paper.height_mm) == (210, 297)


@pytest.mark.parametrize("text", ["8.5 x 13 in", "8.5x13in", "8.5in x 13in", "13 x 8.5 in"])
def test_a_paper_size_in_inches_is_read_to_the_exact_mm(text):
    paper = parse_paper(text)
    assert (paper.width_mm, paper.height_mm) == (215.9, 330.2)
    assert paper.name == "8.5 x 13 in"


@pytest.mark.parametrize("text", ["210x297", "210 x 297"])
def test_a_paper_size_without_a_unit_says_which_to_write(text):
    with pytest.raises(ValueError, match='without a unit; write "210 x 297 mm" or "210 x 297 in"'):
        parse_paper(text)


def test_a_paper_size_is_named_as_it_is_turned():
    """Files are named after the paper: the size actually printed, not the one typed."""
    assert parse_paper("297 x 210 mm").name == "210 x 297 mm"
    assert parse_paper("210 x 297 mm", "landscape").name == "297 x 210 mm"
    assert parse_paper("210mm x 11in").name == "210 x 279.4 mm"  # two units: in mm


@pytest.mark.parametrize("name, said", [
    ("A4", "an A4"), ("B5", "a B5"), ("Letter", "a Letter"), ("long bond", "a long bond"),
    ("8.5 x 13 in", "an 8.5 x 13 in"), ("11 x 17 in", "an 11 x 17 in"), ("110 x 200 mm", "a 110 x 200 mm"),
    ("297 x 420 mm", "a 297 x 420 mm"),
])
def test_a_paper_gets_the_article_it_is_said_with(name, said):
    assert with_article(name) == said


def test_landscape_puts_the_long_side_across():
    paper = parse_paper("A3", "landscape")
    assert (paper.width_mm, paper.height_mm) == (420, 297)
    assert (parse_paper("100 x 50 mm", "landscape").width_mm) == 100
    assert (parse_paper("100 x 50 mm").width_mm) == 50


@pytest.mark.parametrize("text", ["A11", "A4 paper", "210 x 297", "10 x 10 mm"])
def test_an_unknown_paper_is_refused_with_the_choices(text):
    with pytest.raises(ValueError, match="paper size"):
        parse_paper(text)


def test_a_bare_number_where_percent_is_not_allowed_is_not_offered_percent():
    with pytest.raises(ValueError) as caught:
        parse_mm(10)
    assert '"10mm"' in str(caught.value)
    assert "%" not in str(caught.value)
