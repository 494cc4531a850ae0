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


    /**
     * Locks the admin rows (through {@code ix_users_role}) for the rest of the transaction: two admins
     * demoting each other at once are serialized, so the second sees the first's demotion.
     */
    @Query(value = "SELECT id FROM users WHERE role = 'ADMIN' FOR UPDATE", nativeQuery = true)
    List<Long> lockAdmins();

    /**
     * Replaces the hash only if it is still the one the old password was checked against (a
     * concurrent change wins, this one fails), and revokes every token minted before: in the same
     * statement, the account goes on the change feed every instance polls (V8; the database's clock).
     */
    @Transactional
    @Modifying
    @Query(value = "UPDATE users SET password_hash = :newHash, token_version = token_version + 1, state_changed_at = NOW(6), "
            + "version_changed_at = NOW(6) WHERE id = :id AND password_hash = :oldHash", nativeQuery = true)
    int replacePasswordHash(long id, String oldHash, String newHash);

    /**
     * One statement, so a concurrent password change is never overwritten by a stale entity; a new
     * role revokes the tokens that carry the old one, and puts the account on the change feed.
     */
    @Modifying
    @Query(value = "UPDATE users SET role = :#{#role.name()}, token_version = token_version + 1, state_changed_at = NOW(6), "
            + "version_changed_at = NOW(6) WHERE id = :id AND role <> :#{#role.name()}", nativeQuery = true)
    int replaceRole(long id, Role role);

    /** Accounts changed (or created) after the given database time (a string in the database's own format). */
    @Query(value = "SELECT id FROM users WHERE state_changed_at > :since", nativeQuery = true)
    List<Long> changedSince(String since);

    /** The database's clock, minus a margin, in its own format: where the next look at the change feed starts. */
    @Query(value = "SELECT DATE_FORMAT(NOW(6) - INTERVAL :marginMillis * 1000 MICROSECOND, '%Y-%m-%d %H:%i:%s.%f')", nativeQuery = true)
    String clockMinus(long marginMillis);
}
