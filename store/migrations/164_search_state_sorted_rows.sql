-- search_state.sorted_rows dropped (round 21): the postings sorted at the last sort, from which the tail was read as
-- all postings minus these until 163 counted the tail where it changes (search_tail). Since 163 nothing read it; new
-- state rows still wrote a 0 into it. 163's backfill, the last reader, runs before this.
ALTER TABLE search_state DROP COLUMN sorted_rows;
