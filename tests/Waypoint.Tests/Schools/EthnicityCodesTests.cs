using Shouldly;
using Waypoint.Features.Schools;

namespace Waypoint.Tests.Schools;

/// <summary>The one list of DfE ethnicity codes the manual entry page and the CTF import both check against.</summary>
public sealed class EthnicityCodesTests
{
    [Fact]
    public void Extended_EachCodeIsFourCapitalsOfItsOwn_UnderAMainCodeOfTheSameGroup()
    {
        var all = EthnicityCodes.Main.Select(m => m.Code).Concat(EthnicityCodes.Extended.Select(x => x.Code)).ToList();

        all.ShouldBeUnique();
        all.ShouldAllBe(c => c.Length == 4 && c.All(char.IsAsciiLetterUpper));
        foreach (var (code, _, main) in EthnicityCodes.Extended)
        {
            EthnicityCodes.IsMain(main).ShouldBeTrue(code);
            Waypoint.Features.Risk.Representation.EthnicGroup(code).ShouldBe(Waypoint.Features.Risk.Representation.EthnicGroup(main), code);
        }
    }

    [Theory]
    [InlineData("WBRI", true)]
    [InlineData("WENG", true)]
    [InlineData("BSOM", true)]
    [InlineData("NOBT", true)]
    [InlineData("WNIR", true)]
    [InlineData("MWAP", true)]
    [InlineData("WROO", true)]
    [InlineData("WPOL", false)]
    [InlineData("UNCL", false)]
    [InlineData("WBRT", false)]
    [InlineData("wbri", false)]
    [InlineData("XXXX", false)]
    public void IsKnown_MainAndExtendedCodesOnly(string code, bool known) => EthnicityCodes.IsKnown(code).ShouldBe(known);

    /// <summary>
    /// The DfE's approved extended codes, each with its main code, as the DfE's sources give them
    /// (PupilCharacteristicsRecording.cs names both): a change to the list must change this too.
    /// </summary>
    [Fact]
    public void Extended_IsTheDfEList_CodeForCodeUnderTheSameMainCodes()
    {
        const string dfe = """
            WBRI: WCOR WENG WNIR WSCO WWEL WOWB
            WOTH: WALB WBOS WCRO WGRE WGRK WGRC WITA WKOS WPOR WSER WTUR WTUK WTUC WEUR WEEU WWEU WOTW
            WROM: WROG WROR WROO
            MWAS: MWAP MWAI MWAO
            MOTH: MAOE MABL MACH MBOE MBCH MCOE MWOE MWCH MOTM
            APKN: AMPK AKPA AOPK
            AOTH: AAFR AKAO ANEP ASNL ASLT ASRO AOTA
            BAFR: BANN BCON BGHA BNGN BSLN BSOM BSUD BAOF
            BOTH: BEUR BNAM BOTB
            CHNE: CHKC CMAL CSNG CTWN COCH
            OOTH: OAFG OARA OEGY OFIL OIRN OIRQ OJPN OKOR OKRD OLAM OLEB OLIB OMAL OMRC OPOL OTHA OVIE OYEM OOEG
            """;
        var expected = dfe.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(line => line[6..].Split(' ').Select(code => (code, line[..4])))
            .ToList();

        EthnicityCodes.Extended.Select(x => (x.Code, x.Main)).ToList().ShouldBe(expected);
    }

    [Fact]
    public void Describe_ExtendedCode_SaysWhichMainCodeItCountsAs() =>
        EthnicityCodes.Describe("WENG").ShouldBe("White - English (WENG, an extended code from the school's file, counted as White - British)");
}
