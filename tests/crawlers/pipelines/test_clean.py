from crawlers.pipelines.clean import CleanPipeline, clean_text


def test_zero_width_and_control_characters_go():
    assert clean_text("ja\u200blan\u00ad ru\x07sak\ufeff") == "jalan rusak"


def test_odd_spaces_and_runs_collapse_but_lines_stay():
    assert clean_text("  Jalan\u00a0\u00a0rusak \t parah \r\n\r\n\r\n\r\nTolong  ") == "Jalan rusak parah\n\nTolong"


def test_wording_and_punctuation_are_kept():
    text = "Lho kok gitu?! Pelayanan @Disdukcapil #KTP lamaaa 😡"
    assert clean_text(text) == text


def test_pipeline_cleans_text_title_and_empties_blank_optional_fields(post):
    item = CleanPipeline().process_item(post(text=" Halo\u200b ", title="\u200b ", author_name="Budi\x00"))
    assert (item.text, item.title, item.author_name) == ("Halo", None, "Budi")
