#include "core/vietnamese.hpp"

#include <catch2/catch.hpp>

using namespace lienthong;

TEST_CASE("vietnamese: folding drops diacritics and case - đ becomes d", "[unit]") {
    CHECK(core::fold_vietnamese("UBND huyện Nghi Lộc") == "ubnd huyen nghi loc");
    CHECK(core::fold_vietnamese("Đông Hà") == "dong ha");
    CHECK(core::fold_vietnamese("đường Trần Hưng Đạo") == "duong tran hung dao");
    CHECK(core::fold_vietnamese("Sở Tài nguyên và Môi trường") == "so tai nguyen va moi truong");
    CHECK(core::fold_vietnamese("Ủy ban nhân dân xã Quỳnh Lưu") == "uy ban nhan dan xa quynh luu");
    // Decomposed input (NFD): the base letters stay, the combining marks go.
    CHECK(core::fold_vietnamese("Nghi Lo\xcc\xa3\xcc\x82"
                                "c") == "nghi loc");
    CHECK(core::fold_vietnamese("000.00.01.H41") == "000.00.01.h41");
    CHECK(core::fold_vietnamese("中文") == "中文");  // kept as it is
    CHECK(core::fold_vietnamese("a\xff"
                                "b") ==
          "a\xff"
          "b");  // a stray byte is kept too
}

TEST_CASE("vietnamese: an agency matches by code or name - with or without diacritics", "[unit]") {
    CHECK(core::agency_matches("nghi loc", "000.00.13.H41", "UBND huyện Nghi Lộc"));
    CHECK(core::agency_matches(core::fold_vietnamese("Nghi Lộc"), "x", "UBND huyện Nghi Lộc"));
    CHECK(core::agency_matches("13.h41", "000.00.13.H41", "UBND huyện Nghi Lộc"));
    CHECK_FALSE(core::agency_matches("dien chau", "000.00.13.H41", "UBND huyện Nghi Lộc"));
    CHECK(core::agency_matches("", "x", "y"));
}
