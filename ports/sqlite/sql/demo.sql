-- demo.sql - SQLite's shell on a database file: tables, indexes, transactions, joins,
-- aggregates, window functions, recursive queries, JSON, full-text search, R*Trees and
-- the shell's output modes. tests/servers/sqlite-tests.sh runs it in the image and with
-- the same SQLite built for the host: the outputs must be identical (no times of day, no
-- random values, no file names).
.bail off
.headers on
.mode column
PRAGMA journal_mode;
PRAGMA page_size = 4096;

CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, country TEXT,
                   population INTEGER, area REAL);
CREATE INDEX city_country ON city(country);
BEGIN;
INSERT INTO city VALUES (1, 'Lisbon', 'PT', 545923, 100.05);
INSERT INTO city VALUES (2, 'Porto', 'PT', 231962, 41.42);
INSERT INTO city VALUES (3, 'Madrid', 'ES', 3305408, 604.3);
INSERT INTO city VALUES (4, 'Barcelona', 'ES', 1636762, 101.4);
INSERT INTO city VALUES (5, 'Valencia', 'ES', 791413, 134.65);
INSERT INTO city VALUES (6, 'Paris', 'FR', 2102650, 105.4);
INSERT INTO city VALUES (7, 'Lyon', 'FR', 522250, 47.87);
INSERT INTO city VALUES (8, 'Marseille', 'FR', 873076, 240.62);
COMMIT;

SELECT country, count(*) AS cities, sum(population) AS people,
       printf('%.2f', sum(population) / sum(area)) AS density
  FROM city GROUP BY country ORDER BY people DESC;

SELECT name, population,
       rank() OVER (PARTITION BY country ORDER BY population DESC) AS rank_in_country,
       sum(population) OVER (ORDER BY population ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair
  FROM city ORDER BY name;

-- A transaction rolled back leaves nothing; a savepoint rolled back only its part.
BEGIN;
DELETE FROM city;
ROLLBACK;
SELECT count(*) AS after_rollback FROM city;
BEGIN;
INSERT INTO city VALUES (9, 'Seville', 'ES', 684234, 140.8);
SAVEPOINT one;
INSERT INTO city VALUES (10, 'Bilbao', 'ES', 346843, 41.6);
ROLLBACK TO one;
COMMIT;
SELECT group_concat(name, ', ') AS spanish FROM (SELECT name FROM city WHERE country = 'ES' ORDER BY name);

-- Constraint errors are reported and the script goes on.
INSERT INTO city VALUES (11, 'Lisbon', 'PT', 1, 1);
INSERT INTO city (id) VALUES (12);
SELECT count(*) AS still FROM city;

-- Joins, subqueries, a view, a trigger.
CREATE TABLE country (code TEXT PRIMARY KEY, name TEXT, capital_id INTEGER REFERENCES city(id));
INSERT INTO country VALUES ('PT', 'Portugal', 1), ('ES', 'Spain', 3), ('FR', 'France', 6), ('IT', 'Italy', NULL);
CREATE VIEW capital AS SELECT country.name AS country, city.name AS capital
  FROM country LEFT JOIN city ON city.id = country.capital_id;
SELECT * FROM capital ORDER BY country;
SELECT name FROM city WHERE population > (SELECT avg(population) FROM city) ORDER BY name;
CREATE TABLE log (what TEXT);
CREATE TRIGGER city_grows AFTER UPDATE OF population ON city
  BEGIN INSERT INTO log VALUES (old.name || ': ' || old.population || ' -> ' || new.population); END;
UPDATE city SET population = population + 1000 WHERE country = 'PT';
SELECT * FROM log ORDER BY what;

-- Recursive common table expressions.
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 20)
SELECT group_concat(a, ' ') AS fibonacci FROM fib;
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10000)
SELECT count(*), sum(x), max(x) FROM cnt;

-- Numbers and text.
SELECT 7 / 2, 7 / 2.0, 7 % 3, -7 % 3, 1e308 * 10, round(2.5), round(-2.5), round(3.14159, 3);
SELECT abs(-9223372036854775807), 9223372036854775807 + 0, typeof(9223372036854775807 + 1);
SELECT printf('%5d|%-5s|%08.3f|%x|%e|%g|%q|%c', 42, 'ab', 3.14159, 255, 12345.678, 0.0001, 'it''s', 'x');
SELECT upper('straße'), lower('ÉCOLE'), length('héllo'), length(CAST('héllo' AS BLOB)), hex('AZ'),
       substr('abcdef', 2, 3), instr('banana', 'nan'), replace('a-b-c', '-', '+'), trim('  x  ');
SELECT 'abc' < 'abd', 'a' LIKE 'A', 'a' GLOB 'A', 'hello' LIKE 'h_l%', quote(x'00ff'), zeroblob(3);
SELECT date('2024-02-28', '+1 day'), date('2023-02-28', '+1 day'), strftime('%Y-%m-%d %H:%M:%S', 1700000000, 'unixepoch'),
       julianday('2000-01-01'), time('12:34:56', '+90 minutes'), date('2024-01-31', '+1 month');
SELECT sqrt(2), pow(2, 10), ln(exp(1)), log10(1000), pi(), ceil(-1.5), floor(-1.5), mod(7, 3);

-- JSON.
SELECT json_object('name', name, 'pop', population) AS j FROM city WHERE id <= 2 ORDER BY id;
SELECT json_extract('{"a": {"b": [1, 2, {"c": "deep"}]}}', '$.a.b[2].c') AS deep,
       json_array_length('[1, 2, 3, 4]') AS n, json_valid('{"x": }') AS valid;
SELECT key, value FROM json_each('{"x": 1, "y": [2, 3], "z": null}');
SELECT json_group_array(name) FROM (SELECT name FROM city WHERE country = 'FR' ORDER BY name);

-- Full-text search (FTS5) and R*Tree.
CREATE VIRTUAL TABLE doc USING fts5(title, body);
INSERT INTO doc VALUES ('Unikernels', 'A unikernel runs one program in a virtual machine.'),
                       ('Databases', 'SQLite is a database engine in a library.'),
                       ('Networks', 'TCP carries the bytes a server sends to its clients.');
SELECT title FROM doc WHERE doc MATCH 'program OR library' ORDER BY rank;
SELECT highlight(doc, 1, '[', ']') AS hit FROM doc WHERE doc MATCH 'server';
CREATE VIRTUAL TABLE box USING rtree(id, minx, maxx, miny, maxy);
INSERT INTO box VALUES (1, 0, 10, 0, 10), (2, 5, 15, 5, 15), (3, 20, 30, 20, 30);
SELECT id FROM box WHERE maxx >= 8 AND minx <= 12 AND maxy >= 8 AND miny <= 12 ORDER BY id;

-- Many rows, an index, the planner's choice.
CREATE TABLE big (k INTEGER PRIMARY KEY, v TEXT, g INTEGER);
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 20000)
INSERT INTO big SELECT x, printf('value-%06d', x * 7919 % 20000), x % 97 FROM cnt;
CREATE INDEX big_g ON big(g);
SELECT g, count(*), min(v), max(v) FROM big WHERE g IN (0, 1, 96) GROUP BY g ORDER BY g;
EXPLAIN QUERY PLAN SELECT * FROM big WHERE g = 5;
DELETE FROM big WHERE k % 2 = 0;
VACUUM;
PRAGMA integrity_check;
SELECT count(*), sum(length(v)) FROM big;

-- Other output modes.
.mode list
.separator |
SELECT id, name FROM city WHERE id < 4 ORDER BY id;
.mode csv
SELECT name, area FROM city WHERE id < 3 ORDER BY id;
.mode json
SELECT id, name FROM city WHERE id < 3 ORDER BY id;
.mode insert city
SELECT * FROM city WHERE id = 1;
.mode line
SELECT count(*) AS total, max(population) AS largest FROM city;
.mode column
SELECT sqlite_version() AS version;
