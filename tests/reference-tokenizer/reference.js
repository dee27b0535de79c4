'use strict'
// HuggingFace's Rust tokenizer (npm `tokenizers`, the library's prebuilt native binding) configured as
// distilbert-base-uncased's tokenizer.json: the reference that WordPieceTokenizer must equal.
const fs = require('fs')
const { Tokenizer } = require('tokenizers')

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
const MAX_TOKENS = 512

/** Reads a vocab.txt (one token per line, id = line index, LF or CRLF) into a token -> id object. */
function readVocabulary(path) {
  const lines = fs.readFileSync(path, 'utf8').split(/\r?\n/)
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const vocab = {}
  lines.forEach((token, id) => {
    if (Object.prototype.hasOwnProperty.call(vocab, token)) throw new Error(`duplicate token ${token} at line ${id}`)
    vocab[token] = id
  })
  return vocab
}

/** The tokenizer.json of distilbert-base-uncased (as published on the HuggingFace hub), with truncation to 512. */
function tokenizerJson(vocab) {
  const id = (token) => {
    if (!(token in vocab)) throw new Error(`${token} is not in the vocabulary`)
    return vocab[token]
  }
  return {
    version: '1.0',
    truncation: { direction: 'Right', max_length: MAX_TOKENS, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((token) => ({
      id: id(token),
      content: token,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [id(token)], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  }
}

function load(vocabPath) {
  return Tokenizer.fromString(JSON.stringify(tokenizerJson(readVocabulary(vocabPath))))
}

module.exports = { load, readVocabulary, tokenizerJson }
