-- An llm logs.db as `llm logs path` points to, in the schema llm documents
-- (docs/logging.md, "SQL schema"): conversations, schemas, responses.
CREATE TABLE [conversations] (
  [id] TEXT PRIMARY KEY,
  [name] TEXT,
  [model] TEXT
);
CREATE TABLE [schemas] (
  [id] TEXT PRIMARY KEY,
  [content] TEXT
);
CREATE TABLE "responses" (
  [id] TEXT PRIMARY KEY,
  [model] TEXT,
  [prompt] TEXT,
  [system] TEXT,
  [prompt_json] TEXT,
  [options_json] TEXT,
  [response] TEXT,
  [response_json] TEXT,
  [conversation_id] TEXT REFERENCES [conversations]([id]),
  [duration_ms] INTEGER,
  [datetime_utc] TEXT,
  [input_tokens] INTEGER,
  [output_tokens] INTEGER,
  [token_details] TEXT,
  [schema_id] TEXT REFERENCES [schemas]([id])
);

INSERT INTO conversations VALUES ('01j1tea0000000000000000000', 'Haiku about tea', 'gpt-4o-mini');
INSERT INTO conversations VALUES ('01j1bad0000000000000000000', 'Lost prompt', 'gpt-4o-mini');

INSERT INTO responses VALUES (
  '01j1tea0000000000000000001', 'gpt-4o-mini', 'Write a haiku about tea', 'You are a poet.',
  NULL, '{}', 'Steam curls from the cup / a quiet kettle hums / leaves unfold slowly', NULL,
  '01j1tea0000000000000000000', 850, '2024-07-01T12:00:00.123456', 12, 17, NULL, NULL);
INSERT INTO responses VALUES (
  '01j1tea0000000000000000002', 'gpt-4o-mini', 'Now one about coffee', 'You are a poet.',
  NULL, '{}', 'Dark roast at dawn / bitter warmth wakes the city / the mug is empty', NULL,
  '01j1tea0000000000000000000', 910, '2024-07-01T12:01:00.000000', 40, 18, NULL, NULL);
INSERT INTO responses VALUES (
  '01j1bad0000000000000000001', 'gpt-4o-mini', NULL, NULL,
  NULL, '{}', 'An answer to nothing', NULL,
  '01j1bad0000000000000000000', 100, '2024-07-01T13:00:00', NULL, NULL, NULL, NULL);
INSERT INTO responses VALUES (
  '01j1one0000000000000000001', 'claude-3-haiku', 'What is a kettle?', NULL,
  NULL, '{}', 'A pot for boiling water.', NULL,
  NULL, 300, '2024-07-02T08:00:00', NULL, NULL, NULL, NULL);
