// The reader's folding against the table the Python tests use too (tests/unit/test_folding_fixture.py).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { findHits, fold, terms } from "../../meetings/static/js/reader/folding.js";

const { cases } = JSON.parse(readFileSync(new URL("../fixtures/folding.json", import.meta.url), "utf8"));

test("the shared table holds the Vietnamese basics", () => {
  const table = new Map(cases.map((c) => [c.input, c.folded]));
  assert.equal(table.get("họp"), "hop");
  assert.equal(table.get("Đ"), "d");
});

for (const { input, folded } of cases) {
  test(`fold(${JSON.stringify(input)}) is ${JSON.stringify(folded)}, one character for one`, () => {
    assert.equal(fold(input), folded);
    assert.equal([...fold(input)].length, [...input.normalize("NFC")].length);
  });
}

test("a query finds the words whatever their marks, the last one as a prefix", () => {
  const words = ["Dự", "toán", "Ngân", "sách", "năm", "2027"].map((text) => ({ text }));
  assert.deepEqual(terms("NGÂN sá"), ["ngan", "sa"]);
  assert.deepEqual(findHits(words, terms("ngan sa")), [[2, 3]]);
  assert.deepEqual(findHits(words, terms("sach ngan")), []);
  assert.deepEqual(findHits(words, terms("sach ngan"), { loose: true }), [[2], [3]]);
});
