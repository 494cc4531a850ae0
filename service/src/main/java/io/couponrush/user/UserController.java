package io.couponrush.user;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @PutMapping("/me/password")
    ResponseEntity<Void> changePassword(@AuthenticationPrincipal Jwt jwt,
            @Valid @RequestBody UserRequests.ChangePassword request) {
        users.changePassword(Long.parseLong(jwt.getSubject()), request);
        return ResponseEntity.noContent().build();
    }

    /**
     * ADMIN only (see the security configuration). Tokens already issued to the account stop working
     * within the authentication cache's lifetime; the account logs in again for one with the new role.
     */
    @PutMapping("/{id}/role")
    UserView changeRole(@PathVariable long id, @Valid @RequestBody UserRequests.ChangeRole request) {
        return users.changeRole(id, request.role());
    }
}
