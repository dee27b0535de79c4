'use strict'
// node tables.js > shared/Tokenization/ReferenceUnicodeData.txt
//
// Asks HuggingFace's Rust tokenizer (npm `tokenizers`), code point by code point, what distilbert-base-uncased's
// BertNormalizer and BertPreTokenizer do, and writes it as the data file that WordPieceTokenizer embeds. The library
// mixes Unicode versions (categories from the unicode_categories crate, NFD from unicode-normalization-alignments,
// lower-casing and White_Space from Rust's std), so no single Unicode version of .NET or ICU gives the same answers.
// Every fact is read from the library's own normalizers; the script then checks that the model the data describes
// (clean, isolate CJK, NFD, drop Mn, lower-case; split on whitespace, isolate punctuation) reproduces the whole
// BertNormalizer on every code point, and fails otherwise.
const path = require('path')
const t = require('tokenizers')

const VERSION = require(path.join(require.resolve('tokenizers'), '..', 'package.json')).version
const bert = (options) =>
  t.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false, ...options })
const full = bert({ cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true })
const clean = bert({ cleanText: true })
const chinese = bert({ handleChineseChars: true })
const strip = bert({ stripAccents: true }) // NFD, then drop what the library calls Mn
const nfd = t.nfdNormalizer()
const lowercase = t.lowercase()
const preTokenizer = t.bertPreTokenizer()

const hex = (cp) => cp.toString(16).toUpperCase().padStart(4, '0')
const codePoints = (s) => [...s].map((c) => c.codePointAt(0))
const fail = (message) => {
  throw new Error(message)
}

const all = []
for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) all.push(cp)

const removed = new Set()
const whitespace = new Set()
const isolated = new Set()
const punctuation = new Set()
const nonspacing = new Set()
const decompositions = new Map()
const lower = new Map()
for (const cp of all) {
  const c = String.fromCodePoint(cp)
  const cleaned = clean.normalizeString(c)
  if (cleaned === '') removed.add(cp)
  else if (cleaned === ' ') whitespace.add(cp)
  else if (cleaned !== c) fail(`clean_text turns ${hex(cp)} into ${JSON.stringify(cleaned)}`)

  const spaced = chinese.normalizeString(c)
  if (spaced === ` ${c} `) isolated.add(cp)
  else if (spaced !== c) fail(`handle_chinese_chars turns ${hex(cp)} into ${JSON.stringify(spaced)}`)

  const pieces = preTokenizer.preTokenizeString(`a${c}a`).map((piece) => piece[0])
  if (pieces.length === 3 && pieces[1] === c) punctuation.add(cp)
  else if (!(pieces.length === 1 && pieces[0] === `a${c}a`) && !(pieces.length === 2 && pieces.join('') === 'aa'))
    fail(`BertPreTokenizer splits a${hex(cp)}a into ${JSON.stringify(pieces)}`)

  const decomposed = nfd.normalizeString(c)
  if (decomposed !== c) {
    decompositions.set(cp, codePoints(decomposed))
    continue
  }

  const stripped = strip.normalizeString(c)
  if (stripped === '') nonspacing.add(cp)
  else if (stripped !== c) fail(`strip_accents turns ${hex(cp)} into ${JSON.stringify(stripped)}`)

  const lowered = codePoints(lowercase.normalizeString(c))
  if (lowered.length !== 1) fail(`${hex(cp)} lower-cases to ${lowered.length} code points and does not decompose`)
  if (lowered[0] !== cp) lower.set(cp, lowered[0])
}

// Canonical ordering: NFD sorts each run of non-starters (combining class > 0) stably by class. The library does not
// expose the classes; their order is read from it: a precedes b after NFD when class(a) < class(b).
const swaps = (a, b) => nfd.normalizeString(a + b) === b + a
if (!swaps('\u0345', '\u0334')) fail('U+0345 (class 240) does not sort after U+0334 (class 1)')
const nonStarters = all
  .filter((cp) => !decompositions.has(cp))
  .map((cp) => String.fromCodePoint(cp))
  .filter((c) => swaps(c, '\u0334') || swaps('\u0345', c) || c === '\u0334' || c === '\u0345')
const compare = (a, b) => (swaps(a, b) ? 1 : swaps(b, a) ? -1 : 0)
nonStarters.sort((a, b) => compare(a, b) || a.codePointAt(0) - b.codePointAt(0))
const order = new Map()
let rank = 0
nonStarters.forEach((c, i) => {
  if (i === 0 || compare(nonStarters[i - 1], c) !== 0) rank++
  order.set(c.codePointAt(0), rank)
})
for (const a of nonStarters)
  for (const b of nonStarters)
    if (a !== b && swaps(a, b) !== order.get(a.codePointAt(0)) > order.get(b.codePointAt(0)))
      fail(`the canonical order of ${hex(a.codePointAt(0))} and ${hex(b.codePointAt(0))} is not a total order`)
for (const parts of decompositions.values())
  for (const part of parts) if (decompositions.has(part)) fail(`decomposition part ${hex(part)} decomposes again`)

// Hangul syllables decompose algorithmically (Unicode 3.12); the data leaves them out after checking every one.
const hangul = (cp) => {
  const s = cp - 0xac00
  const l = 0x1100 + Math.floor(s / 588)
  const v = 0x1161 + Math.floor((s % 588) / 28)
  const tail = s % 28
  return tail === 0 ? [l, v] : [l, v, 0x11a7 + tail]
}
for (let cp = 0xac00; cp <= 0xd7a3; cp++)
  if (JSON.stringify(decompositions.get(cp)) !== JSON.stringify(hangul(cp))) fail(`Hangul ${hex(cp)} is not algorithmic`)

// The model, per code point: what the data says must be what the whole BertNormalizer does.
const model = (cp) => {
  if (removed.has(cp)) return ''
  if (whitespace.has(cp)) return ' '
  const parts = decompositions.get(cp) ?? [cp]
  const kept = parts.filter((part) => !nonspacing.has(part)).map((part) => lower.get(part) ?? part)
  const text = String.fromCodePoint(...kept)
  return isolated.has(cp) ? ` ${text} ` : text
}
for (const cp of all) {
  const expected = full.normalizeString(String.fromCodePoint(cp))
  if (model(cp) !== expected) fail(`the data gives ${JSON.stringify(model(cp))} for ${hex(cp)}, the library ${JSON.stringify(expected)}`)
}

// ------------------------------------------------------------------------------------------------------- output
const out = []
const emit = (line) => out.push(line)
const ranges = (name, set, describe) => {
  emit('')
  emit(`# ${describe}`)
  const sorted = [...set].sort((a, b) => a - b)
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    emit(`${name} ${hex(sorted[i])}${j > i ? `-${hex(sorted[j])}` : ''}`)
    i = j + 1
  }
}

emit(`# Unicode data of HuggingFace tokenizers ${VERSION} (the Rust library, npm package \`tokenizers\`) as the`)
emit('# distilbert-base-uncased tokenizer applies it: BertNormalizer (clean_text, handle_chinese_chars, strip_accents,')
emit('# lowercase) then BertPreTokenizer. Generated by tests/reference-tokenizer/tables.js, which asks the library about')
emit('# every code point; do not edit. Regenerate (after npm ci in tests/reference-tokenizer) with')
emit('#   node tests/reference-tokenizer/tables.js > shared/Tokenization/ReferenceUnicodeData.txt')
emit('# Code points are hexadecimal, A-B is a closed range; surrogates (D800-DFFF) are no characters and never appear.')
emit('# The library mixes Unicode versions: categories (control, punctuation, Mn) from the unicode_categories crate,')
emit('# NFD from unicode-normalization-alignments, lower-casing and White_Space from Rust std; hence this file.')
ranges('removed', removed, 'clean_text drops these: NUL, U+FFFD and what the library calls Cc, Cf, Co (not Cn).')
ranges('whitespace', whitespace, 'clean_text turns these into a space; the pre-tokenizer splits words there.')
ranges('chinese', isolated, 'handle_chinese_chars puts spaces around these (then they are normalized like others).')
ranges('punctuation', punctuation, 'BertPreTokenizer makes each of these a word of its own (checked after normalizing).')
ranges('nonspacing', nonspacing, 'strip_accents drops these after NFD (the library\'s Mn; only code points NFD keeps).')

emit('')
emit('# NFD: code point, then what it decomposes to (fully). Hangul syllables AC00-D7A3 decompose algorithmically')
emit('# (Unicode 3.12), checked for every one, and are left out.')
for (const [cp, parts] of [...decompositions].sort((a, b) => a[0] - b[0]))
  if (cp < 0xac00 || cp > 0xd7a3) emit(`decompose ${hex(cp)} ${parts.map(hex).join(' ')}`)

emit('')
emit('# Canonical ordering: NFD sorts each run of adjacent non-starters stably by this rank (the order of their')
emit('# combining classes as the library sorts them, 1 = lowest); every other code point is a starter. Only code points')
emit('# NFD keeps.')
const byRank = [...order].sort((a, b) => a[0] - b[0])
for (let i = 0; i < byRank.length; ) {
  let j = i
  while (j + 1 < byRank.length && byRank[j + 1][0] === byRank[j][0] + 1 && byRank[j + 1][1] === byRank[i][1]) j++
  emit(`order ${hex(byRank[i][0])}${j > i ? `-${hex(byRank[j][0])}` : ''} ${byRank[i][1]}`)
  i = j + 1
}

emit('')
emit('# Lower-casing (after NFD): A-B C maps A to C, A+1 to C+1, ... Only code points NFD keeps; all map to one.')
const lowers = [...lower].sort((a, b) => a[0] - b[0])
for (let i = 0; i < lowers.length; ) {
  let j = i
  while (
    j + 1 < lowers.length &&
    lowers[j + 1][0] === lowers[j][0] + 1 &&
    lowers[j + 1][1] - lowers[j + 1][0] === lowers[i][1] - lowers[i][0]
  )
    j++
  emit(`lower ${hex(lowers[i][0])}${j > i ? `-${hex(lowers[j][0])}` : ''} ${hex(lowers[i][1])}`)
  i = j + 1
}

process.stdout.write(out.join('\n') + '\n')
