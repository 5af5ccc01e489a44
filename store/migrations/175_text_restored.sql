-- The start of an item's text with diacritics restored, when it was written without any (round 18): a rapid report
-- quotes a post verbatim («Nguyên văn») as evidence and gives this reading after it, so a post typed without marks
-- reads aloud. Reports sit below nlp and load no model: the tagger stores it (nlp/steps.py Normalise, first
-- RESTORED_TEXT_CHARS characters). NULL when the text had diacritics, and for items tagged before this migration
-- until they are re-tagged (nlp/version.py PIPELINE_REVISION 8 has serve re-tag them).
ALTER TABLE item_tags ADD COLUMN text_restored VARCHAR;
