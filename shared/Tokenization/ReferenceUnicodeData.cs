using System.Globalization;

namespace ToxicFunctions.Tokenization;

/// <summary>
/// The Unicode facts of HuggingFace's Rust tokenizer (tokenizers 0.23.2) for a BERT normalizer and pre-tokenizer, read
/// from the embedded ReferenceUnicodeData.txt, which tests/reference-tokenizer/tables.js generates by asking that
/// library about every code point. Neither .NET's nor ICU's tables are used: the library mixes Unicode versions
/// (categories of the unicode_categories crate, NFD of unicode-normalization-alignments, lower-casing of Rust std).
/// </summary>
/// <remarks>
/// Per code point: flags and a canonical ordering rank in a two-stage table (blocks of 256 code points, identical
/// blocks shared), decompositions and lower-case mappings in dictionaries. Immutable, so thread-safe.
/// </remarks>
internal sealed class ReferenceUnicodeData
{
    /// <summary>clean_text drops the code point (NUL, U+FFFD, the library's Cc, Cf and Co).</summary>
    public const int Removed = 1;

    /// <summary>clean_text turns the code point into a space.</summary>
    public const int Whitespace = 2;

    /// <summary>handle_chinese_chars puts spaces around the code point.</summary>
    public const int Chinese = 4;

    /// <summary>The pre-tokenizer makes the (normalized) code point a word of its own.</summary>
    public const int Punctuation = 8;

    /// <summary>strip_accents drops the code point after NFD (the library's Mn).</summary>
    public const int Nonspacing = 16;

    /// <summary>NFD replaces the code point by others (see <see cref="Decompose"/>).</summary>
    public const int Decomposes = 32;

    /// <summary>The longest canonical decomposition.</summary>
    public const int MaxDecompositionLength = 4;

    private const string Resource = "ToxicFunctions.Tokenization.ReferenceUnicodeData.txt";
    private const int CodePoints = 0x110000;
    private const int BlockBits = 8;
    private const int BlockSize = 1 << BlockBits;
    private const int HangulFirst = 0xAC00;
    private const int HangulLast = 0xD7A3;

    private readonly ushort[] _blockOf;
    private readonly ushort[] _blocks; // per code point: flags in the low byte, canonical ordering rank in the high byte
    private readonly Dictionary<int, int[]> _decompositions;
    private readonly Dictionary<int, int> _lower;

    private ReferenceUnicodeData(TextReader reader)
    {
        var values = new ushort[CodePoints];
        _decompositions = [];
        _lower = [];
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split(' ');
            try
            {
                var (first, last) = ParseRange(fields[1]);
                switch (fields[0])
                {
                    case "removed": SetFlag(values, first, last, Removed); break;
                    case "whitespace": SetFlag(values, first, last, Whitespace); break;
                    case "chinese": SetFlag(values, first, last, Chinese); break;
                    case "punctuation": SetFlag(values, first, last, Punctuation); break;
                    case "nonspacing": SetFlag(values, first, last, Nonspacing); break;
                    case "order":
                        var rank = int.Parse(fields[2], CultureInfo.InvariantCulture);
                        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, byte.MaxValue);
                        for (var cp = first; cp <= last; cp++)
                        {
                            values[cp] = (ushort)((values[cp] & 0xFF) | (rank << 8));
                        }

                        break;
                    case "decompose":
                        SetFlag(values, first, first, Decomposes);
                        _decompositions[first] = [.. fields.Skip(2).Select(ParseCodePoint)];
                        break;
                    case "lower":
                        var target = ParseCodePoint(fields[2]);
                        for (var cp = first; cp <= last; cp++)
                        {
                            _lower[cp] = target + (cp - first);
                        }

                        break;
                    default:
                        throw new FormatException($"unknown section '{fields[0]}'");
                }
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
            {
                throw new InvalidDataException($"{Resource} line {lineNumber} ('{line}'): {e.Message}", e);
            }
        }

        SetFlag(values, HangulFirst, HangulLast, Decomposes);
        (_blockOf, _blocks) = Compress(values);
    }

    /// <summary>The data of tokenizers 0.23.2, loaded once per process.</summary>
    public static ReferenceUnicodeData Instance { get; } = Load();

    /// <summary>The flags of <paramref name="codePoint"/> (0 to 0x10FFFF; surrogates have none).</summary>
    public int Flags(int codePoint) => Value(codePoint) & 0xFF;

    /// <summary>The canonical ordering rank: 0 for a starter, else NFD sorts adjacent non-starters by it.</summary>
    public int Order(int codePoint) => Value(codePoint) >> 8;

    /// <summary>The lower-case mapping of a code point that NFD keeps.</summary>
    public int Lower(int codePoint) => _lower.TryGetValue(codePoint, out var lower) ? lower : codePoint;

    /// <summary>
    /// Writes the full canonical decomposition of <paramref name="codePoint"/> (itself when it has none) into
    /// <paramref name="parts"/>, at least <see cref="MaxDecompositionLength"/> long; returns the count.
    /// </summary>
    public int Decompose(int codePoint, Span<int> parts)
    {
        if ((Flags(codePoint) & Decomposes) == 0)
        {
            parts[0] = codePoint;
            return 1;
        }

        if (codePoint is >= HangulFirst and <= HangulLast)
        {
            // Unicode 3.12: L V or L V T; the generator checked the library against it on every syllable.
            var s = codePoint - HangulFirst;
            parts[0] = 0x1100 + (s / 588);
            parts[1] = 0x1161 + (s % 588 / 28);
            if (s % 28 == 0)
            {
                return 2;
            }

            parts[2] = 0x11A7 + (s % 28);
            return 3;
        }

        var decomposition = _decompositions[codePoint];
        decomposition.CopyTo(parts);
        return decomposition.Length;
    }

    private int Value(int codePoint) =>
        _blocks[(_blockOf[codePoint >> BlockBits] << BlockBits) | (codePoint & (BlockSize - 1))];

    private static ReferenceUnicodeData Load()
    {
        var assembly = typeof(ReferenceUnicodeData).Assembly;
        using var stream = assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Resource {Resource} is missing from {assembly.FullName}.");
        using var reader = new StreamReader(stream);
        return new ReferenceUnicodeData(reader);
    }

    private static void SetFlag(ushort[] values, int first, int last, int flag)
    {
        for (var cp = first; cp <= last; cp++)
        {
            values[cp] |= (ushort)flag;
        }
    }

    private static (int First, int Last) ParseRange(string field)
    {
        var dash = field.IndexOf('-', StringComparison.Ordinal);
        var first = ParseCodePoint(dash < 0 ? field : field[..dash]);
        var last = dash < 0 ? first : ParseCodePoint(field[(dash + 1)..]);
        return first <= last ? (first, last) : throw new FormatException($"empty range {field}");
    }

    private static int ParseCodePoint(string field)
    {
        var cp = int.Parse(field, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return cp is >= 0 and < CodePoints and not (>= 0xD800 and <= 0xDFFF)
            ? cp
            : throw new FormatException($"{field} is not a Unicode scalar value");
    }

    private static (ushort[] BlockOf, ushort[] Blocks) Compress(ushort[] values)
    {
        var blockOf = new ushort[CodePoints / BlockSize];
        var blocks = new List<ushort>();
        var seen = new Dictionary<string, ushort>(StringComparer.Ordinal);
        for (var block = 0; block < blockOf.Length; block++)
        {
            var slice = values.AsSpan(block * BlockSize, BlockSize);
            var key = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(slice));
            if (!seen.TryGetValue(key, out var index))
            {
                index = checked((ushort)(blocks.Count / BlockSize));
                seen[key] = index;
                blocks.AddRange(slice);
            }

            blockOf[block] = index;
        }

        return (blockOf, [.. blocks]);
    }
}
