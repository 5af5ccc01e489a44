-- Free-text answers (and «Khác: …» write-ins) are masked at import since round 14 (vocab.privacy.mask_personal_text:
-- phone numbers, e-mails, ID numbers, a signed name); surveys imported before keep them as typed. `answers_masked`
-- is false for those rows and true for every survey imported from now on: orchestration.surveys.mask_stored_answers
-- masks the stored answers of the false ones once (serve's start) and sets it.
ALTER TABLE surveys ADD COLUMN answers_masked BOOLEAN DEFAULT false;
ALTER TABLE surveys ALTER COLUMN answers_masked SET DEFAULT true;
