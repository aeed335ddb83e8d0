-- Up Migration
-- A load's record rows are updated three times each (snapshot, outcome, verify). Every secondary
-- index made each update insert into it as well, and the status index made every status change a
-- non-HOT update. Chunks are ranges of the primary key (record i is in chunk floor(i / chunk_size)),
-- so the saga reads and updates a chunk by (load_id, idx) alone; listing records by status walks
-- the load's rows in index order, as the listing is paged by index anyway.
DROP INDEX load_records_chunk_idx;
DROP INDEX load_records_status_idx;
ALTER TABLE load_records SET (fillfactor = 50);

-- Down Migration
ALTER TABLE load_records RESET (fillfactor);
CREATE INDEX load_records_status_idx ON load_records (load_id, status);
CREATE INDEX load_records_chunk_idx ON load_records (load_id, chunk);
