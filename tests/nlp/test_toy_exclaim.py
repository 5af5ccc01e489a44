def test_exclaim(pipeline):
    out = pipeline.tag([{"id": "1", "title": "Bức xúc!!", "text": "Quá tệ!"}])
    assert out[0]["exclaims"] == 3
