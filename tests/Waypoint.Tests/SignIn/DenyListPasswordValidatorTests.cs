using Shouldly;
using Waypoint.Identity;

namespace Waypoint.Tests.SignIn;

/// <summary>The deny-list of commonly chosen passwords, with the padding people add to them.</summary>
public sealed class DenyListPasswordValidatorTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("  PASSWORD  ")]
    [InlineData("password1234")]
    [InlineData("Password123!")]
    [InlineData("qwerty123456!")]
    [InlineData("letmein2024")]
    [InlineData("123456789")]
    public void IsCommon_ListedPasswordOrListedWordPadded_IsTrue(string password) =>
        DenyListPasswordValidator.IsCommon(password).ShouldBeTrue();

    [Theory]
    [InlineData("violet-harbour-compass")]
    [InlineData("correct horse battery staple")]
    [InlineData("amber-otter-lantern")]
    [InlineData("")]
    public void IsCommon_UnlistedPassword_IsFalse(string password) =>
        DenyListPasswordValidator.IsCommon(password).ShouldBeFalse();
}
