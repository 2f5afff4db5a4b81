from nlp.training.augment import distillation_samples, sentences


def test_sentences_split_on_end_punctuation_and_drop_short_ones():
    text = "tempatnya nyaman sekali . ok . makanannya enak dan murah !"
    assert sentences(text) == ["tempatnya nyaman sekali .", "makanannya enak dan murah !"]


def test_samples_hold_raw_and_normalised_variants_once():
    samples = distillation_samples(["Bagus BGT", "bagus bgt", "jalan rusak parah . lampu mati semua ."],
                                   normalize=lambda t: t.lower().replace("bgt", "banget"))
    sources = [s.source for s in samples]
    assert sources == ["Bagus BGT", "bagus bgt", "jalan rusak parah . lampu mati semua .",
                       "jalan rusak parah .", "lampu mati semua ."]
    assert samples[0].inputs == ("Bagus BGT", "bagus banget")
    assert samples[1].inputs == ("bagus bgt", "bagus banget")
    assert samples[2].inputs == ("jalan rusak parah . lampu mati semua .",)  # normalising changes nothing
    assert [s.whole for s in samples] == [True, True, True, False, False]
    assert [s.origin for s in samples] == [0, 1, 2, 2, 2]


def test_without_sentences():
    samples = distillation_samples(["satu dua tiga . empat lima enam ."], normalize=str, with_sentences=False)
    assert len(samples) == 1


def test_normalised_form_only():
    samples = distillation_samples(["Bagus BGT"], normalize=lambda t: t.lower().replace("bgt", "banget"),
                                   with_raw=False)
    assert samples[0].inputs == ("bagus banget",)
