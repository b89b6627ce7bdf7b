-- Files have names: an upload keeps the name it was sent with, and a result may be given the name it is
-- downloaded as. Results written before have none.
ALTER TABLE stored_file ADD COLUMN name varchar(255);

-- The files API lists a caller's complete files, newest first; admins list everyone's.
CREATE INDEX stored_file_owner_created_idx ON stored_file (owner, created_at DESC, id DESC) WHERE complete;
CREATE INDEX stored_file_created_idx ON stored_file (created_at DESC, id DESC) WHERE complete;
