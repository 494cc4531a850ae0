package io.couponrush.user;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface Users extends JpaRepository<User, Long> {

    Optional<User> findByEmail(String email);

    boolean existsByEmail(String email);

    @Query("select new io.couponrush.user.AccountState(u.id, u.role, u.tokenVersion) from User u where u.id = :id")
    Optional<AccountState> findStateById(long id);

    @Query("select new io.couponrush.user.AccountState(u.id, u.role, u.tokenVersion) from User u where u.id in :ids")
    List<AccountState> findStatesByIdIn(java.util.Collection<Long> ids);

    /**
     * Locks the admin rows (through {@code ix_users_role}) for the rest of the transaction: two admins
     * demoting each other at once are serialized, so the second sees the first's demotion.
     */
    @Query(value = "SELECT id FROM users WHERE role = 'ADMIN' FOR UPDATE", nativeQuery = true)
    List<Long> lockAdmins();

    /**
     * Replaces the hash only if it is still the one the old password was checked against (a
     * concurrent change wins, this one fails), and revokes every token minted before.
     */
    @Transactional
    @Modifying
    @Query("update User u set u.passwordHash = :newHash, u.tokenVersion = u.tokenVersion + 1 "
            + "where u.id = :id and u.passwordHash = :oldHash")
    int replacePasswordHash(long id, String oldHash, String newHash);

    /**
     * One statement, so a concurrent password change is never overwritten by a stale entity; a new
     * role revokes the tokens that carry the old one.
     */
    @Modifying
    @Query("update User u set u.role = :role, u.tokenVersion = u.tokenVersion + 1 where u.id = :id and u.role <> :role")
    int replaceRole(long id, Role role);
}
