"""What handbill promises about reading a statement (statement.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.errors import InputError
from handbill.statement import Block, Span, Statement, describe, read_statement

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "housing-not-demolitions.md"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def read(folder: Path, text: str | bytes, name: str = "statement.md", **overrides) -> Statement:
    return read_statement(write(folder, name, text), **overrides)


def mistake(folder: Path, text: str | bytes, name: str = "statement.md", **overrides) -> str:
    """The message of the InputError that reading `text` raises."""
    path = write(folder, name, text)
    with pytest.raises(InputError) as caught:
        read_statement(path, **overrides)
    return str(caught.value)


def texts(statement: Statement) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in statement.body]


def paragraph(text: str) -> Block:
    return Block("paragraph", (Span(text),))


FRONT = "---\ntitle: Homes, not rubble\n---\n"


# --- plain text ------------------------------------------------------------------------


def test_plain_text_paragraphs_split_at_blank_lines_and_their_lines_join_with_one_space(tmp_path):
    text = "The river families\nwere given a week.\n\nThey stayed.\n  \nThey organised.\n"
    statement = read(tmp_path, text, "s.txt", title="T")
    assert statement.body == (
        paragraph("The river families were given a week."),
        paragraph("They stayed."),
        paragraph("They organised."),
    )


def test_short_closing_lines_ending_in_bang_become_slogans(tmp_path):
    text = "We will not move.\n\nHomes, not rubble!\n\nStop the demolitions now!\n"
    statement = read(tmp_path, text, "s.txt")
    assert statement.slogans == ("Homes, not rubble!", "Stop the demolitions now!")
    assert statement.body == (paragraph("We will not move."),)


def test_slogans_are_gathered_from_the_end_and_stop_at_the_first_line_that_does_not_qualify(tmp_path):
    text = "Rise up!\n\nA paragraph in between.\n\nHousing is a right!\n"
    statement = read(tmp_path, text, "s.txt")
    assert statement.slogans == ("Housing is a right!",)
    assert texts(statement) == [("paragraph", "Rise up!"), ("paragraph", "A paragraph in between.")]


def test_a_closing_line_of_twelve_words_is_a_slogan_but_thirteen_words_is_body(tmp_path):
    twelve = "one two three four five six seven eight nine ten eleven twelve!"
    thirteen = "one two three four five six seven eight nine ten eleven twelve thirteen!"
    assert read(tmp_path, f"Body.\n\n{twelve}\n", "a.txt").slogans == (twelve,)
    statement = read(tmp_path, f"Body.\n\n{thirteen}\n", "b.txt", title="T")
    assert statement.slogans == ()
    assert statement.body[-1] == paragraph(thirteen)


def test_a_closing_paragraph_of_two_lines_is_not_a_slogan_even_when_it_ends_in_bang(tmp_path):
    statement = read(tmp_path, "Body.\n\nHomes,\nnot rubble!\n", "s.txt", title="T")
    assert statement.slogans == ()
    assert statement.body[-1] == paragraph("Homes, not rubble!")


def test_the_first_slogan_titles_a_plain_text_statement_and_stays_a_slogan(tmp_path):
    statement = read(tmp_path, "Body.\n\nHomes, not rubble!\n\nHousing is a right!\n", "s.txt")
    assert statement.title == "Homes, not rubble!"
    assert statement.slogans == ("Homes, not rubble!", "Housing is a right!")


def test_the_title_override_wins_over_the_first_slogan(tmp_path):
    statement = read(tmp_path, "Body.\n\nHomes, not rubble!\n", "s.txt", title="  Riverside  stays ")
    assert statement.title == "Riverside stays"


def test_plain_text_of_nothing_but_slogans_has_an_empty_body(tmp_path):
    statement = read(tmp_path, "Homes, not rubble!\n\nHousing is a right!\n", "s.txt")
    assert statement.body == ()
    assert statement.title == "Homes, not rubble!"


def test_plain_text_has_no_url_and_is_english_unless_told_otherwise(tmp_path):
    plain = read(tmp_path, "Body.\n\nHomes!\n", "s.txt")
    assert (plain.url, plain.lang) == (None, "en")
    told = read(tmp_path, "Body.\n\nHomes!\n", "s.txt", url="https://example.org/x", lang="fil")
    assert (told.url, told.lang) == ("https://example.org/x", "fil")


def test_a_byte_order_mark_and_windows_line_ends_are_ignored(tmp_path):
    data = "\ufeffFirst line\r\nsecond line.\r\n\r\nHomes, not rubble!\r\n".encode("utf-8")
    statement = read(tmp_path, data, "s.txt")
    assert statement.body == (paragraph("First line second line."),)
    assert statement.slogans == ("Homes, not rubble!",)


def test_any_extension_but_markdown_is_plain_text_and_its_asterisks_stay(tmp_path):
    statement = read(tmp_path, "**Not bold** and # not a heading\n\nHomes!\n", "s.statement")
    assert statement.body == (paragraph("**Not bold** and # not a heading"),)


def test_runs_of_ascii_whitespace_collapse_but_no_break_spaces_are_kept(tmp_path):
    statement = read(tmp_path, "300\u00a0km2  of\t\tland\n", "s.txt", title="T")
    assert statement.body == (paragraph("300\u00a0km2 of land"),)


def test_a_plain_text_statement_with_no_slogan_and_no_title_says_how_to_give_one(tmp_path):
    message = mistake(tmp_path, "Only a paragraph.\n", "s.txt")
    assert "no title" in message and "--title" in message and "slogan" in message


# --- Markdown front matter -------------------------------------------------------------


def test_front_matter_fields_are_all_read(tmp_path):
    text = (
        "---\n"
        "title: Housing, Not Demolitions!\n"
        "subtitle: Bring the families home\n"
        "organisation: Urban Poor Alliance\n"
        "date: 2024-03-18\n"
        "url: https://example.org/s\n"
        "lang: fil\n"
        "excerpt: Four thousand families face eviction.\n"
        "slogans:\n  - Homes, not rubble!\n  - Housing is a right!\n"
        "---\n"
        "The body.\n"
    )
    statement = read(tmp_path, text)
    assert statement == Statement(
        title="Housing, Not Demolitions!",
        body=(paragraph("The body."),),
        slogans=("Homes, not rubble!", "Housing is a right!"),
        subtitle="Bring the families home",
        organisation="Urban Poor Alliance",
        date="2024-03-18",
        url="https://example.org/s",
        lang="fil",
        excerpt="Four thousand families face eviction.",
        source=tmp_path / "statement.md",
    )


def test_organization_is_accepted_for_organisation(tmp_path):
    statement = read(tmp_path, "---\ntitle: T\norganization: Urban Poor Alliance\n---\nBody.\n")
    assert statement.organisation == "Urban Poor Alliance"


def test_a_yaml_date_becomes_an_iso_string_and_a_written_date_is_kept(tmp_path):
    assert read(tmp_path, "---\ntitle: T\ndate: 2023-11-15\n---\n").date == "2023-11-15"
    assert read(tmp_path, "---\ntitle: T\ndate: 15 November 2023\n---\n").date == "15 November 2023"


def test_front_matter_text_is_stripped_and_its_inner_whitespace_collapsed(tmp_path):
    text = '---\ntitle: "  Homes,   not rubble  "\nexcerpt: |\n  Two\n  lines.\n---\n'
    statement = read(tmp_path, text)
    assert (statement.title, statement.excerpt) == ("Homes, not rubble", "Two lines.")


def test_empty_optional_fields_count_as_absent(tmp_path):
    statement = read(tmp_path, '---\ntitle: T\nsubtitle:\nexcerpt: ""\nslogans:\nurl: " "\n---\n')
    assert (statement.subtitle, statement.excerpt, statement.slogans, statement.url) == (None, None, (), None)


def test_keyword_overrides_win_over_front_matter(tmp_path):
    text = "---\ntitle: From file\nurl: https://example.org/file\nlang: en\n---\nBody.\n"
    statement = read(tmp_path, text, title="From flag", url="https://example.org/flag", lang="ar")
    assert (statement.title, statement.url, statement.lang) == ("From flag", "https://example.org/flag", "ar")


def test_an_empty_url_override_removes_the_files_url(tmp_path):
    assert read(tmp_path, "---\ntitle: T\nurl: https://example.org/x\n---\n", url="").url is None


def test_front_matter_is_optional_and_lang_defaults_to_english(tmp_path):
    statement = read(tmp_path, "Body only.\n", title="T")
    assert (statement.body, statement.lang) == ((paragraph("Body only."),), "en")


def test_a_file_of_only_front_matter_has_an_empty_body(tmp_path):
    assert read(tmp_path, FRONT).body == ()


def test_blank_lines_before_the_front_matter_are_forgiven(tmp_path):
    assert read(tmp_path, "\n\n" + FRONT + "Body.\n").title == "Homes, not rubble"


@pytest.mark.parametrize("tag", ["en", "fil", "ar", "zh-Hant", "pt-BR", "es-419"])
def test_language_tags_are_accepted(tmp_path, tag):
    assert read(tmp_path, f"---\ntitle: T\nlang: {tag}\n---\n").lang == tag


# --- the title -------------------------------------------------------------------------


def test_an_opening_level_one_heading_becomes_the_title_and_leaves_the_body(tmp_path):
    statement = read(tmp_path, "# Homes, *not* rubble\n\nBody.\n")
    assert statement.title == "Homes, not rubble"
    assert statement.body == (paragraph("Body."),)


def test_an_opening_heading_after_front_matter_without_title_becomes_the_title(tmp_path):
    statement = read(tmp_path, "---\nlang: en\n---\n\nRiverside stays\n===\n\nBody.\n")
    assert statement.title == "Riverside stays"
    assert texts(statement) == [("paragraph", "Body.")]


def test_a_front_matter_title_wins_and_the_opening_heading_stays_in_the_body(tmp_path):
    statement = read(tmp_path, FRONT + "# A heading\n\nBody.\n")
    assert statement.title == "Homes, not rubble"
    assert texts(statement) == [("heading", "A heading"), ("paragraph", "Body.")]


def test_a_level_two_heading_or_a_later_level_one_heading_is_never_the_title(tmp_path):
    assert "no title" in mistake(tmp_path, "## Not a title\n\nBody.\n")
    assert "no title" in mistake(tmp_path, "Body.\n\n# Not a title either\n")


def test_markdown_falls_back_to_the_first_slogan_for_its_title(tmp_path):
    statement = read(tmp_path, "---\nslogans:\n  - Homes, not rubble!\n---\nBody.\n")
    assert statement.title == "Homes, not rubble!"


def test_markdown_with_no_title_at_all_says_to_add_title_or_pass_the_flag(tmp_path):
    message = mistake(tmp_path, "Just a body.\n")
    assert message == f"{tmp_path / 'statement.md'}: the statement has no title; add 'title:' to the front matter or pass --title"


# --- Markdown body ---------------------------------------------------------------------


def test_paragraphs_headings_and_list_items_become_blocks_in_order(tmp_path):
    body = "First.\n\n## Demands\n\n- Stop the demolitions\n- Return the families\n\nLast.\n"
    assert texts(read(tmp_path, FRONT + body)) == [
        ("paragraph", "First."),
        ("heading", "Demands"),
        ("bullet", "Stop the demolitions"),
        ("bullet", "Return the families"),
        ("paragraph", "Last."),
    ]


def test_every_heading_level_is_a_heading(tmp_path):
    body = "".join(f"{'#' * level} Level {level}\n\n" for level in range(1, 7))
    statement = read(tmp_path, FRONT + "Intro.\n\n" + body)
    assert [block.kind for block in statement.body] == ["paragraph"] + ["heading"] * 6


def test_ordered_list_items_are_bullets_numbered_in_plain_text(tmp_path):
    statement = read(tmp_path, FRONT + "3. Halt **all** demolitions\n3. Return the families\n")
    assert statement.body == (
        Block("bullet", (Span("3. Halt "), Span("all", bold=True), Span(" demolitions"))),
        Block("bullet", (Span("4. Return the families"),)),
    )


def test_bold_and_italic_are_read_in_both_spellings(tmp_path):
    statement = read(tmp_path, FRONT + "**a** __b__ *c* _d_\n")
    assert statement.body[0].spans == (
        Span("a", bold=True), Span(" "), Span("b", bold=True), Span(" "),
        Span("c", italic=True), Span(" "), Span("d", italic=True),
    )


def test_bold_inside_italic_is_both(tmp_path):
    statement = read(tmp_path, FRONT + "*we **will** stay*\n")
    assert statement.body[0].spans == (
        Span("we ", italic=True), Span("will", bold=True, italic=True), Span(" stay", italic=True),
    )


def test_neighbouring_runs_of_one_emphasis_are_merged(tmp_path):
    statement = read(tmp_path, FRONT + "plain `code` [link](https://x.org) **b1 `code` [b2](https://x.org)**\n")
    assert statement.body[0].spans == (Span("plain code link "), Span("b1 code b2", bold=True))


def test_inline_code_links_and_images_give_their_plain_text(tmp_path):
    text = FRONT + "Run `handbill`, read [the *statement*](https://x.org) or ![a **map**](m.png).\n"
    assert read(tmp_path, text).body[0].text == "Run handbill, read the statement or a map."


def test_soft_and_hard_line_breaks_become_one_space(tmp_path):
    statement = read(tmp_path, FRONT + "one\ntwo  \nthree\\\nfour\n")
    assert statement.body == (paragraph("one two three four"),)


def test_whitespace_collapses_and_is_stripped_at_block_edges(tmp_path):
    statement = read(tmp_path, FRONT + "  Lots   of\t space, ![](x.png) then **bold**\n")
    assert statement.body[0].spans == (Span("Lots of space, then "), Span("bold", bold=True))


def test_blockquoted_paragraphs_become_ordinary_paragraphs(tmp_path):
    statement = read(tmp_path, FRONT + "> They came before dawn.\n>\n> We stayed.\n")
    assert statement.body == (paragraph("They came before dawn."), paragraph("We stayed."))


def test_a_thematic_break_is_ignored(tmp_path):
    statement = read(tmp_path, FRONT + "Before.\n\n---\n\nAfter.\n\n***\n")
    assert statement.body == (paragraph("Before."), paragraph("After."))


def test_empty_blocks_are_dropped(tmp_path):
    statement = read(tmp_path, FRONT + "-\n- real\n\n##\n\n****\n\nBody.\n")
    assert texts(statement) == [("bullet", "real"), ("paragraph", "Body.")]


def test_a_nested_list_item_is_its_own_bullet_after_its_parent(tmp_path):
    statement = read(tmp_path, FRONT + "- Stop:\n  - demolitions\n  - arrests\n- Return\n")
    assert texts(statement) == [("bullet", t) for t in ("Stop:", "demolitions", "arrests", "Return")]


def test_a_list_item_of_two_paragraphs_is_one_bullet(tmp_path):
    statement = read(tmp_path, FRONT + "- First part.\n\n  Second part.\n- Next.\n")
    assert texts(statement) == [("bullet", "First part. Second part."), ("bullet", "Next.")]


def test_paragraphs_indented_by_four_spaces_are_still_paragraphs(tmp_path):
    statement = read(tmp_path, FRONT + "    Indented once\n    over two lines.\n\n    Indented twice.\n")
    assert statement.body == (paragraph("Indented once over two lines."), paragraph("Indented twice."))


# --- text is data, never markup --------------------------------------------------------

MARKUP_LOOKALIKES = [
    "<b>bold?</b>",
    "&amp;",
    "&lt;",
    "&copy; &#35; &#x41;",
    "<font color=\"[[[getattr(pow, 'x')]]]\">x</font>",
    "<para><img src='x'/></para>",
]


@pytest.mark.parametrize("text", MARKUP_LOOKALIKES)
def test_markup_in_a_markdown_paragraph_heading_and_bullet_comes_back_literally(tmp_path, text):
    statement = read(tmp_path, FRONT + f"Said {text} here.\n\n## {text}\n\n- {text}\n")
    assert texts(statement) == [("paragraph", f"Said {text} here."), ("heading", text), ("bullet", text)]


@pytest.mark.parametrize("text", MARKUP_LOOKALIKES)
def test_markup_in_front_matter_and_overrides_comes_back_literally(tmp_path, text):
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    statement = read(tmp_path, f"---\ntitle: {quoted}\nsubtitle: {quoted}\nslogans:\n  - {quoted}\n---\n")
    assert statement.title == statement.subtitle == statement.slogans[0] == text
    assert read(tmp_path, "Body.\n", title=text).title == text


@pytest.mark.parametrize("text", MARKUP_LOOKALIKES)
def test_markup_in_plain_text_comes_back_literally(tmp_path, text):
    statement = read(tmp_path, f"{text}\n\nHomes!\n", "s.txt")
    assert statement.body == (paragraph(text),)


def test_a_raw_html_block_is_a_paragraph_of_its_literal_text(tmp_path):
    html = '<div class="x">\n<script>alert(1)</script>\n</div>'
    statement = read(tmp_path, FRONT + html + "\n\n<!-- a comment -->\n")
    assert statement.body == (
        paragraph('<div class="x"> <script>alert(1)</script> </div>'),
        paragraph("<!-- a comment -->"),
    )


# Printable characters that are no Markdown markup once a line starts with a word: no
# emphasis, code, links, escapes, or autolinks (those need ':' or '@').
PLAIN = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="*_`[]!\\:@")
    | st.characters(categories=("L", "N")),
    min_size=1,
)


@given(words=st.lists(PLAIN, min_size=1, max_size=8))
def test_markdown_text_without_markdown_syntax_comes_back_character_for_character(words):
    folder = Path(__import__("tempfile").mkdtemp())
    line = "x " + " ".join(words)
    assert read(folder, FRONT + line + "\n").body == (paragraph(line),)


@given(first=PLAIN, second=PLAIN)
def test_any_printable_plain_text_comes_back_character_for_character(first, second):
    folder = Path(__import__("tempfile").mkdtemp())
    statement = read(folder, f"{first}\n{second}\n", "s.txt", title="T")
    assert statement.body == (paragraph(f"{first} {second}"),)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode), suffix=st.sampled_from([".md", ".txt"]))
def test_whatever_the_file_holds_reading_gives_a_statement_or_an_input_error(scratch, data, suffix):
    path = write(scratch, "fuzz" + suffix, b"---\n" + data if data[:1] == b"t" else data)
    try:
        statement = read_statement(path)
    except InputError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
    else:
        assert statement.title and all(block.text for block in statement.body)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml_text=st.text(alphabet="abtile:-[]{}\"' \n\t#!&*|>?12", max_size=80))
def test_whatever_the_front_matter_holds_reading_gives_a_statement_or_an_input_error(scratch, yaml_text):
    path = write(scratch, "fuzz.md", f"---\n{yaml_text}\n---\nBody.\n")
    try:
        read_statement(path)
    except InputError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)


# --- mistakes: one sentence naming the file, the place and the fix ----------------------


def test_an_unknown_key_suggests_the_closest_and_lists_the_allowed_ones(tmp_path):
    message = mistake(tmp_path, "---\ntitle: T\nslogan:\n  - Homes!\n---\n")
    assert message == (
        f"{tmp_path / 'statement.md'}: front matter: unknown key 'slogan'; did you mean 'slogans'? "
        "(allowed: title, subtitle, organisation, date, url, lang, slogans, excerpt, logo, translation, qr_caption)"
    )


def test_an_unknown_key_like_no_other_still_lists_the_allowed_ones(tmp_path):
    message = mistake(tmp_path, "---\ntitle: T\nbackground: red\n---\n")
    assert "unknown key 'background'" in message and "(allowed: title, subtitle," in message


def test_broken_yaml_names_the_line_of_the_file_it_is_on(tmp_path):
    message = mistake(tmp_path, "---\ntitle: T\nsubtitle: ok\norganisation: Homes: not rubble\n---\n")
    assert message == (
        f"{tmp_path / 'statement.md'}: front matter line 4: YAML could not be read "
        "(mapping values are not allowed here); check the quoting on that line"
    )


def test_the_yaml_line_number_counts_blank_lines_before_the_front_matter(tmp_path):
    assert "front matter line 5:" in mistake(tmp_path, "\n\n---\ntitle: T\nsubtitle: a: b\n---\n")


def test_an_unclosed_quote_names_the_line_where_the_quote_opened(tmp_path):
    message = mistake(tmp_path, '---\ntitle: T\nsubtitle: "Homes\nlang: en\nurl: x\n---\n')
    assert "front matter line 3: YAML could not be read (a quote opened on this line is never closed)" in message


def test_a_key_given_twice_is_a_mistake_naming_the_second_line(tmp_path):
    message = mistake(tmp_path, "---\ntitle: Homes\nlang: en\ntitle: Land\n---\n")
    assert message == f"{tmp_path / 'statement.md'}: front matter line 4: 'title' is given twice; keep one"


def test_front_matter_never_closed_names_the_line_it_opened_on(tmp_path):
    message = mistake(tmp_path, "\n---\ntitle: T\n\nBody.\n")
    assert message.startswith(f"{tmp_path / 'statement.md'}: line 2: the front matter opened with '---' is never closed")


def test_front_matter_that_is_not_key_value_lines_is_explained(tmp_path):
    assert "expected 'key: value' lines" in mistake(tmp_path, "---\n- title\n- T\n---\n")
    assert "expected 'key: value' lines" in mistake(tmp_path, "---\njust words\n---\n")


def test_slogans_that_are_not_a_list_are_explained(tmp_path):
    message = mistake(tmp_path, "---\ntitle: T\nslogans: Homes, not rubble!\n---\n")
    assert message.endswith("""front matter: 'slogans' must be a list (one "- slogan" per line)""")


def test_an_empty_slogan_is_named_by_its_number(tmp_path):
    message = mistake(tmp_path, "---\ntitle: T\nslogans:\n  - Homes!\n  - ''\n---\n")
    assert "slogan 2 is empty" in message


def test_a_slogan_with_a_colon_is_explained_and_quoting_suggested(tmp_path):
    message = mistake(tmp_path, "---\ntitle: T\nslogans:\n  - Our demand: homes!\n---\n")
    assert "slogan 1 was read as 'key: value'" in message and "quotes" in message


def test_a_title_that_is_a_list_is_a_mistake(tmp_path):
    message = mistake(tmp_path, "---\ntitle:\n  - Homes\n  - Not rubble\n---\n")
    assert "'title' must be one line of text, not a list" in message


@pytest.mark.parametrize("value, kind", [("1984", "number"), ("yes", "yes/no value")])
def test_a_title_yaml_reads_as_something_else_should_be_quoted(tmp_path, value, kind):
    message = mistake(tmp_path, f"---\ntitle: {value}\n---\n")
    assert f"'title' was read as a {kind}, not text; put the value in quotes" in message


@pytest.mark.parametrize("line", ["title:", "title: ''", "title: '   '"])
def test_an_empty_title_in_front_matter_is_a_mistake(tmp_path, line):
    assert "'title' is empty" in mistake(tmp_path, f"---\n{line}\n---\nBody.\n")


def test_an_empty_title_override_is_a_mistake(tmp_path):
    assert "--title is empty" in mistake(tmp_path, FRONT, title="  ")


def test_a_date_that_is_not_a_date_is_a_mistake(tmp_path):
    assert "'date' must be a date like 2023-11-15" in mistake(tmp_path, "---\ntitle: T\ndate: [2024]\n---\n")


def test_both_spellings_of_organisation_at_once_is_a_mistake(tmp_path):
    text = "---\ntitle: T\norganisation: A\norganization: B\n---\n"
    assert "both 'organisation' and 'organization'" in mistake(tmp_path, text)


@pytest.mark.parametrize("tag", ["english", "e", "en_US", "tagalog-ph", "en-"])
def test_a_language_that_is_not_a_tag_is_named_in_front_matter_and_override(tmp_path, tag):
    in_file = mistake(tmp_path, f"---\ntitle: T\nlang: {tag}\n---\n")
    assert f"front matter: 'lang': '{tag}' is not a language tag like en, fil, ar or zh-Hant" in in_file
    assert f"--lang: '{tag}' is not a language tag" in mistake(tmp_path, FRONT, lang=tag)


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.md"
    with pytest.raises(InputError, match="nowhere.md: no such file; check the path"):
        read_statement(path)


def test_a_folder_is_not_a_statement(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a statement"):
        read_statement(tmp_path)


def test_text_that_is_not_utf8_names_the_line_and_the_byte(tmp_path):
    message = mistake(tmp_path, "Caf\u00e9 one\n".encode("utf-8") + "Caf\u00e9 two\n".encode("latin-1"), "s.txt")
    assert message == f"{tmp_path / 's.txt'}: line 2: byte 0xE9 is not UTF-8; save the file as UTF-8"


@pytest.mark.parametrize("data, kind", [
    (b"PK\x03\x04\x14\x00", "a Word document or other zip file"),
    (b"%PDF-1.7\n", "a PDF"),
])
def test_a_file_that_is_not_plain_text_is_recognised(tmp_path, data, kind):
    assert f"this is {kind}; save the statement as UTF-8" in mistake(tmp_path, data, "s.txt")


@pytest.mark.parametrize("data", ["", "   \n\n\t\n", "\ufeff\n"])
@pytest.mark.parametrize("name", ["s.md", "s.txt"])
def test_an_empty_file_is_a_mistake(tmp_path, data, name):
    assert mistake(tmp_path, data, name) == f"{tmp_path / name}: the file is empty; write the statement in it"


@pytest.mark.parametrize("name, text", [
    ("a.md", "---\ntitel: T\n---\n"),
    ("b.md", "---\ntitle: [unclosed\n---\n"),
    ("c.md", "---\ntitle: T\n"),
    ("d.md", "---\ntitle: T\nslogans: {a: b}\n---\n"),
    ("e.md", "---\ntitle: T\nlang: 12\n---\n"),
    ("f.md", "---\ntitle: T\nexcerpt: {a: b}\n---\n"),
    ("g.md", "---\n!!python/object:os.system {}\n---\n"),
    ("h.md", "---\ntitle: T\n\tsubtitle: tab\n---\n"),
    ("i.md", "---\ntitle: &a T\nsubtitle: *b\n---\n"),
    ("j.txt", "no title here\n"),
])
def test_every_mistake_is_one_line_that_starts_with_the_file(tmp_path, name, text):
    message = mistake(tmp_path, text, name)
    assert message.startswith(f"{tmp_path / name}: ") and "\n" not in message


# --- describe --------------------------------------------------------------------------


def test_describe_shows_the_fields_counts_slogans_and_each_block(tmp_path):
    text = (
        "---\ntitle: Housing, Not Demolitions!\norganisation: Urban Poor Alliance\n"
        "date: 2024-03-18\nurl: https://example.org/s\nslogans:\n  - Homes, not rubble!\n---\n"
        "Before dawn the crews came with the police and tore down three hundred homes by noon.\n\n"
        "## Demands\n\n- Stop the demolitions\n"
    )
    summary = describe(read(tmp_path, text))
    assert summary.splitlines()[0] == "Housing, Not Demolitions!"
    for expected in [
        "Organisation: Urban Poor Alliance",
        "Date:         2024-03-18",
        "URL:          https://example.org/s",
        "Language:     en",
        "Subtitle:     (none)",
        "Body: 1 paragraph, 1 heading, 1 bullet; 20 words.",
        "Slogans (1):\n  Homes, not rubble!",
        "1  paragraph  Before dawn the crews came with the police and tore down…",
        "2  heading    Demands",
        "3  bullet     Stop the demolitions",
    ]:
        assert expected in summary


def test_describe_says_when_there_are_no_slogans_and_no_body(tmp_path):
    summary = describe(read(tmp_path, FRONT))
    assert "Slogans: (none)" in summary
    assert "Body: 0 paragraphs, 0 headings, 0 bullets; 0 words." in summary
    assert "block by block" not in summary


def test_describe_keeps_block_previews_to_about_sixty_characters(tmp_path):
    long = " ".join(["solidarity"] * 40)
    summary = describe(read(tmp_path, FRONT + long + "\n"))
    preview = next(line for line in summary.splitlines() if "paragraph" in line and "solidarity" in line)
    assert preview.endswith("solidarity…") and len(preview.split("paragraph", 1)[1].strip()) <= 60


# --- the example -----------------------------------------------------------------------


def test_the_example_statement_reads_cleanly_and_uses_every_feature():
    statement = read_statement(EXAMPLE)
    assert len(statement.title.split()) <= 8 and statement.subtitle and statement.organisation
    assert statement.date == "2024-03-18" and statement.lang == "en" and statement.excerpt
    assert statement.url == "https://example.org/statements/housing-not-demolitions"
    assert len(statement.slogans) == 3 and all(s.endswith("!") for s in statement.slogans)
    kinds = [block.kind for block in statement.body]
    assert 5 <= kinds.count("paragraph") <= 7 and "heading" in kinds and "bullet" in kinds
    spans = [span for block in statement.body for span in block.spans]
    assert any(span.bold for span in spans) and any(span.italic for span in spans)
    assert 450 <= sum(len(block.text.split()) for block in statement.body) <= 550
    assert statement.name == "housing-not-demolitions"


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30"])
def test_a_date_not_in_the_calendar_is_one_sentence_not_a_traceback(tmp_path, date):
    with pytest.raises(InputError, match=rf"date: {date} is not a date in the calendar"):
        read(tmp_path, f"---\ntitle: Homes\ndate: {date}\n---\n\nWe stand.\n")


# --- hostile and careless input (issue 15) ---------------------------------------------

def test_markdown_nested_twenty_deep_between_paragraphs_is_kept_as_text(tmp_path):
    quote = "\n".join("> " * 20 + f"forwarded {n}" for n in range(2))
    items = "\n".join("  " * n + f"- item {n}" for n in range(20))
    path = write(tmp_path, "s.md", f"# T\n\nOne.\n\n{quote}\n\nTwo.\n\n{items}\n\nThree.\n")
    texts = [block.text for block in read_statement(path).body]
    assert texts == ["One.", "forwarded 0 forwarded 1", "Two.", *(f"item {n}" for n in range(20)), "Three."]


def test_markdown_nested_past_the_limit_is_refused_naming_the_line_never_dropped(tmp_path):
    path = write(tmp_path, "s.md", "---\ntitle: T\n---\nOne.\n\n" + "> " * 200 + "deep\n\nTwo.\n")
    with pytest.raises(InputError) as caught:
        read_statement(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 6: ") and "nested too deep" in message and "\n" not in message


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b""), ("utf-16-be", b""), ("utf-16-le", b"\xff\xfe"),
                                        ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_or_without_a_bom_is_read_with_its_paragraph_breaks(tmp_path, codec, bom):
    text = "# Stop the war\n\nFirst paragraph, défendons-nous.\r\n\r\nشعارنا: السلام\n"
    path = write(tmp_path, "s.md", bom + text.encode(codec))
    statement = read_statement(path)
    assert statement.title == "Stop the war"
    assert [block.text for block in statement.body] == ["First paragraph, défendons-nous.", "شعارنا: السلام"]


@pytest.mark.parametrize("char, said", [("\x00", "NUL"), ("\x07", "U+0007"), ("\x01", "U+0001"), ("\x85", "U+0085"),
                                        ("\x9b", "U+009B"), ("\ufffd", "U+FFFD")])
def test_a_control_character_or_a_replacement_character_is_refused_with_its_line_and_the_fix(tmp_path, char, said):
    path = write(tmp_path, "s.md", f"---\ntitle: T\n---\nOne.\n\nTwo{char} words.\n")
    with pytest.raises(InputError) as caught:
        read_statement(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 6: ") and said in message and "\n" not in message
    assert "delete it" in message or "copy that passage again" in message
    with pytest.raises(InputError, match="--title: "):
        read_statement(write(tmp_path, "t.txt", "One.\n\nGo!\n"), title=f"A{char}B")


def test_a_tab_is_whitespace_not_a_control(tmp_path):
    path = write(tmp_path, "s.txt", "One\ttwo.\n\nGo!\n")
    assert read_statement(path).body[0].text == "One two."


def test_a_control_written_as_a_yaml_escape_is_refused_naming_the_field(tmp_path):
    path = write(tmp_path, "s.md", '---\ntitle: "A\\0B"\n---\nOne.\n')
    with pytest.raises(InputError, match=r"front matter: title: has the invisible control character NUL"):
        read_statement(path)
    path = write(tmp_path, "t.md", '---\ntitle: T\nslogans:\n  - "Go\\aon!"\n---\nOne.\n')
    with pytest.raises(InputError, match=r"front matter: slogan 1: has the invisible control character U\+0007"):
        read_statement(path)
