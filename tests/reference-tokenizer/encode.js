'use strict'
// node encode.js VOCAB.txt [--no-truncation] [--save tokenizer.json] < texts.jsonl > ids.jsonl
//   stdin: one JSON string per line; stdout: one JSON array of ids per line, in order ([CLS] ... [SEP], at most 512
//   ids unless --no-truncation).
//   The first stdout line is {"tokenizers": VERSION}, so the caller knows which library answered.
const fs = require('fs')
const path = require('path')
const { load, readVocabulary, tokenizerJson } = require('./reference')

const BATCH = 2000

async function main() {
  const args = process.argv.slice(2)
  const vocabPath = args[0]
  if (!vocabPath) throw new Error('usage: node encode.js VOCAB.txt [--no-truncation] [--save tokenizer.json] < texts.jsonl')
  const save = args.indexOf('--save')
  if (save >= 0) fs.writeFileSync(args[save + 1], JSON.stringify(tokenizerJson(readVocabulary(vocabPath)), null, 1))

  const tokenizer = load(vocabPath)
  if (args.includes('--no-truncation')) tokenizer.disableTruncation()
  const version = require(path.join(require.resolve('tokenizers'), '..', 'package.json')).version
  const out = [JSON.stringify({ tokenizers: version })]

  const input = fs.readFileSync(0, 'utf8')
  const lines = input.split('\n')
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const texts = lines.map((line, i) => {
    const text = JSON.parse(line)
    if (typeof text !== 'string') throw new Error(`line ${i + 1} is not a JSON string`)
    return text
  })

  for (let i = 0; i < texts.length; i += BATCH) {
    const encodings = await tokenizer.encodeBatch(texts.slice(i, i + BATCH))
    for (const encoding of encodings) out.push(JSON.stringify(encoding.getIds()))
  }

  fs.writeFileSync(1, out.join('\n') + '\n')
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`)
  process.exit(1)
})
