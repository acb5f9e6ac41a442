// An MSBuild task (compiled by RoslynCodeTaskFactory, see SeqRec.TorchSharpPatch.targets beside this file; the
// SeqRec.Core package ships both in its buildTransitive folder).
//
// libLibTorchSharp.so from TorchSharp-cpu 0.107.0 declares a need for GLIBCXX_3.4.32 (GCC 13's libstdc++), which
// Debian 12 does not have (it stops at 3.4.30), so the loader refuses the library. The only symbol bound to that
// version is never used by a relocation, so marking the version need as weak (VER_FLG_WEAK) lets glibc accept the
// library. The task rewrites the copy in an output folder, never the one in the NuGet cache.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkVersionNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                switch (MarkWeak(bytes, Version))
                {
                    case Outcome.Patched:
                        // Write a new file and rename it over the old one: never modify a file that might be a
                        // hard link into the package cache.
                        var temp = path + ".weak.tmp";
                        File.WriteAllBytes(temp, bytes);
                        File.Copy(temp, path, overwrite: true);
                        File.Delete(temp);
                        Log.LogMessage(MessageImportance.Normal, $"Marked the {Version} version need weak in {path}");
                        break;
                    case Outcome.AlreadyWeak:
                    case Outcome.NotNeeded:
                        break;
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError($"Could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private enum Outcome { Patched, AlreadyWeak, NotNeeded }

    private static Outcome MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian 64-bit ELF file");

        var sectionTable = (long)U64(elf, 0x28);
        int entrySize = U16(elf, 0x3A), count = U16(elf, 0x3C);
        for (var s = 0; s < count; s++)
        {
            var header = sectionTable + (long)s * entrySize;
            if (U32(elf, header + 4) != ShtGnuVerneed) continue;

            var offset = (long)U64(elf, header + 0x18);
            var strings = (long)U64(elf, sectionTable + (long)U32(elf, header + 0x28) * entrySize + 0x18);
            var needs = U32(elf, header + 0x2C);
            var need = offset;
            for (var n = 0; n < needs; n++)
            {
                var aux = need + U32(elf, need + 8);
                for (var a = 0; a < U16(elf, need + 2); a++)
                {
                    if (ReadString(elf, strings + U32(elf, aux + 8)) == version)
                    {
                        var flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return Outcome.AlreadyWeak;
                        var patched = (ushort)(flags | VerFlgWeak);
                        elf[aux + 4] = (byte)patched;
                        elf[aux + 5] = (byte)(patched >> 8);
                        return Outcome.Patched;
                    }
                    aux += U32(elf, aux + 12);
                }
                need += U32(elf, need + 12);
            }
        }
        return Outcome.NotNeeded;
    }

    private static ushort U16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
    private static uint U32(byte[] b, long at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    private static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

    private static string ReadString(byte[] b, long at)
    {
        var end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }
}
