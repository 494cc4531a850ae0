package io.couponrush.user;

public enum Role {
    USER, ADMIN
}
