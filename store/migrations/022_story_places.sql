-- Where each grouped item is, as grouping compares it (nlp/stories.py place conflicts): the folded
-- 2025 units of the area it names (its wards, or the wards of an old district it names instead), and
-- the folded provinces (2025) it names. Kept so the grouping index rebuilt after a restart refuses the
-- same merges as before. NULL for items grouped before this migration (treated as unknown places).
ALTER TABLE story_items ADD COLUMN wards VARCHAR[];
ALTER TABLE story_items ADD COLUMN provinces VARCHAR[];
