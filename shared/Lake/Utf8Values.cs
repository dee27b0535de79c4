using System.Runtime.InteropServices;
using ParquetSharp;

namespace ToxicFunctions.Lake;

/// <summary>
/// UTF-8 copies of strings in one pinned buffer, as the <see cref="ByteArray"/> values that ParquetSharp's low-level
/// column writers take. The buffer is reused from call to call, so writing a string column allocates nothing per value
/// (ParquetSharp's logical string writer allocates a byte array per string, which for a large object's comments is
/// gigabytes of garbage). The values returned stay valid until the next call.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class Utf8Values
{
    private byte[] _buffer = GC.AllocateUninitializedArray<byte>(1 << 20, pinned: true);
    private ByteArray[] _values = [];

    /// <summary>The UTF-8 bytes of each of <paramref name="texts"/>, in order.</summary>
    public ReadOnlySpan<ByteArray> Encode(IReadOnlyList<string> texts)
    {
        long needed = 0;
        foreach (var text in texts)
        {
            needed += System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        }

        if (needed > _buffer.Length)
        {
            _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length)), pinned: true);
        }

        if (_values.Length < texts.Count)
        {
            _values = new ByteArray[texts.Count];
        }

        // The buffer is on the pinned object heap: its address does not change while the writer reads it.
        var start = Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0);
        var offset = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var length = System.Text.Encoding.UTF8.GetBytes(texts[i], _buffer.AsSpan(offset));
            _values[i] = new ByteArray(start + offset, length);
            offset += length;
        }

        return _values.AsSpan(0, texts.Count);
    }
}
