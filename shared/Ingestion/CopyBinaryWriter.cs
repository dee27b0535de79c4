using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// Encodes rows in PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
/// Format") into a growable buffer. Tokenizing workers encode whole batches in parallel, so the one connection that
/// streams them into COPY only copies bytes. The buffer is pooled: <see cref="Dispose"/> returns it.
/// </summary>
internal sealed class CopyBinaryWriter(int initialCapacity = 1 << 16) : IDisposable
{
    private const int Int4Oid = 23;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The file header that starts a binary COPY stream: signature, flags, header extension length.</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The file trailer: a field count of -1.</summary>
    public static ReadOnlySpan<byte> Trailer => [0xff, 0xff];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void StartRow(short fieldCount) => BinaryPrimitives.WriteInt16BigEndian(Take(2), fieldCount);

    public void WriteInt16(short value)
    {
        var span = Take(6);
        BinaryPrimitives.WriteInt32BigEndian(span, 2);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], value);
    }

    public void WriteInt64(long value)
    {
        var span = Take(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    public void WriteUuid(Guid value)
    {
        var span = Take(20);
        BinaryPrimitives.WriteInt32BigEndian(span, 16);
        value.TryWriteBytes(span[4..], bigEndian: true, out _);
    }

    public void WriteText(string value)
    {
        var span = Take(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, written);
        Length -= span.Length - 4 - written;
    }

    /// <summary>A one-dimensional <c>integer[]</c> without nulls, lower bound 1.</summary>
    public void WriteInt32Array(ReadOnlySpan<int> values)
    {
        var span = Take(4 + 20 + (8 * values.Length));
        BinaryPrimitives.WriteInt32BigEndian(span, 20 + (8 * values.Length));
        BinaryPrimitives.WriteInt32BigEndian(span[4..], 1);             // dimensions
        BinaryPrimitives.WriteInt32BigEndian(span[8..], 0);             // has nulls
        BinaryPrimitives.WriteInt32BigEndian(span[12..], Int4Oid);      // element type
        BinaryPrimitives.WriteInt32BigEndian(span[16..], values.Length);
        BinaryPrimitives.WriteInt32BigEndian(span[20..], 1);            // lower bound
        var elements = span[24..];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(elements[(8 * i)..], 4);
            BinaryPrimitives.WriteInt32BigEndian(elements[((8 * i) + 4)..], values[i]);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Length = 0;
    }

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Length + count, _buffer.Length * 2));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
