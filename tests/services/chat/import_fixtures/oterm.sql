-- An oterm store.db as oterm's store (src/oterm/store/store.py) creates it: chat, message.
CREATE TABLE IF NOT EXISTS "chat" (
  "id" INTEGER,
  "name" TEXT,
  "model" TEXT NOT NULL,
  "system" TEXT,
  "format" TEXT,
  "parameters" TEXT DEFAULT "{}",
  "keep_alive" INTEGER DEFAULT 5,
  "tools" TEXT DEFAULT "[]",
  PRIMARY KEY("id" AUTOINCREMENT)
);
CREATE TABLE IF NOT EXISTS "message" (
  "id" INTEGER,
  "chat_id" INTEGER NOT NULL,
  "author" TEXT NOT NULL,
  "text" TEXT NOT NULL,
  "images" TEXT DEFAULT "[]",
  PRIMARY KEY("id" AUTOINCREMENT),
  FOREIGN KEY("chat_id") REFERENCES "chat"("id") ON DELETE CASCADE
);

INSERT INTO chat (id, name, model, system, format, parameters, keep_alive, tools)
  VALUES (1, 'Llama talk', 'llama3.2:latest', 'Be brief.', '', '{}', 5, '[]');
INSERT INTO message (id, chat_id, author, text, images) VALUES (1, 1, 'me', 'Why is the sky blue?', '[]');
INSERT INTO message (id, chat_id, author, text, images) VALUES (2, 1, 'ollama', 'Rayleigh scattering.', '[]');
INSERT INTO message (id, chat_id, author, text, images) VALUES (3, 1, 'me', 'And this photo?', '["aGVsbG8="]');

INSERT INTO chat (id, name, model, system, format, parameters, keep_alive, tools)
  VALUES (2, 'Robot voices', 'mistral', NULL, '', '{}', 5, '[]');
INSERT INTO message (id, chat_id, author, text, images) VALUES (4, 2, 'robot', 'beep', '[]');
