ALTER TABLE item_tags ADD COLUMN word_count INTEGER;
