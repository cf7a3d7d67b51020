-- An elia.sqlite as elia_chat/database/models.py makes it (SQLModel): chat, message,
-- system_prompt.
CREATE TABLE system_prompt (
  id INTEGER NOT NULL PRIMARY KEY,
  title VARCHAR NOT NULL,
  prompt VARCHAR NOT NULL,
  created_at DATETIME DEFAULT (CURRENT_TIMESTAMP)
);
CREATE TABLE chat (
  id INTEGER NOT NULL PRIMARY KEY,
  model VARCHAR NOT NULL,
  title VARCHAR,
  started_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
  archived BOOLEAN NOT NULL DEFAULT 0
);
CREATE TABLE message (
  id INTEGER NOT NULL PRIMARY KEY,
  chat_id INTEGER REFERENCES chat (id),
  role VARCHAR NOT NULL,
  content VARCHAR NOT NULL,
  timestamp DATETIME DEFAULT (CURRENT_TIMESTAMP),
  meta JSON,
  parent_id INTEGER REFERENCES message (id),
  model VARCHAR
);

INSERT INTO chat VALUES (1, 'gpt-4o', 'Regex help', '2024-08-01 10:00:00', 0);
INSERT INTO message VALUES (1, 1, 'system', 'You are a helpful assistant.', '2024-08-01 10:00:00', '{}', NULL, NULL);
INSERT INTO message VALUES (2, 1, 'user', 'How do I match an email address?', '2024-08-01 10:00:05', '{}', 1, NULL);
INSERT INTO message VALUES (3, 1, 'assistant', 'Use a library; a regex only gets close.', '2024-08-01 10:00:09', '{}', 2, 'gpt-4o');

INSERT INTO chat VALUES (2, 'gpt-3.5-turbo', 'Old chat', '2023-03-01 09:00:00', 1);
INSERT INTO message VALUES (4, 2, 'human', 'Hello there', '2023-03-01 09:00:01', NULL, NULL, NULL);
INSERT INTO message VALUES (5, 2, 'ai', 'General Kenobi.', '2023-03-01 09:00:02', NULL, 4, 'gpt-3.5-turbo');

INSERT INTO chat VALUES (3, 'gpt-4o', 'Unreadable', '2024-08-02 10:00:00', 0);
INSERT INTO message VALUES (6, 3, 'function', 'not a chat message', '2024-08-02 10:00:01', NULL, NULL, NULL);
