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


def test_noisy_copies_and_extra_texts_are_teacher_only_samples():
    import random

    from nlp.training.augment import noisy_copy

    text = "jalan di depan rumah rusak parah dan belum diperbaiki sampai sekarang"
    samples = distillation_samples([text], normalize=str, with_sentences=False, with_raw=False,
                                   noisy_copies=2, extra_texts=["pelayanan cepat", text, "  "], seed=1)
    assert samples[0].whole and samples[0].source == text
    noisy = [s for s in samples if s.origin == 0 and not s.whole]
    assert 1 <= len(noisy) <= 2 and all(s.source != text for s in noisy)
    assert [s.source for s in samples if s.origin == -1] == ["pelayanan cepat"]  # duplicates and blanks dropped
    again = distillation_samples([text], normalize=str, with_sentences=False, noisy_copies=2, seed=1)
    assert [s.source for s in again] == [s.source for s in samples if s.origin == 0]  # seeded
    copy = noisy_copy(text, random.Random(3), drop=0.3)
    assert set(copy.split()) <= set(text.split()) and len(copy.split()) >= 3
    assert noisy_copy("dua kata", random.Random(0), drop=1.0) == "dua kata"
