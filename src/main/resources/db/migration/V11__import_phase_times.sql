-- When an import's parse ended (parsed or input_error) and when its rows were imported, as
-- django-import-export-extensions' parse_finished and import_finished; stamped by the import workflow's hooks in
-- the transaction of the transition that enters the state.
ALTER TABLE transfer_import_job ADD COLUMN parsed_at timestamptz, ADD COLUMN imported_at timestamptz;
