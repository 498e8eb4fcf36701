import Testing

@testable import RebillModel

/// The small tables some words carry: a role's position, a class's bit.
@Suite struct VocabularyTests {
  @Test func aRoleIndexIsItsPositionAmongAllRoles() {
    for (position, role) in AccountRole.allCases.enumerated() { #expect(role.index == position) }
  }

  @Test func everyClassHasABitOfItsOwn() {
    let bits = LineClass.allCases.map(\.bit)
    #expect(bits.allSatisfy { $0.nonzeroBitCount == 1 })
    #expect(bits.reduce(0, |).nonzeroBitCount == LineClass.allCases.count)
  }

  @Test func anAccountMapFindsEachRolesAccount() {
    var accounts: [AccountRole: Account] = [:]
    for role in AccountRole.allCases {
      accounts[role] = Account(role: role, code: "\(role.index)", name: role.rawValue, ledger: "L")
    }
    let map = AccountMap(accounts: accounts)
    for role in AccountRole.allCases { #expect(map[role] == accounts[role]) }
  }
}
