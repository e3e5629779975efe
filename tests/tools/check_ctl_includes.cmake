# lienthongctl depends on no app or HTTP code: none of bus/ctl includes app/ or http/ headers.
# Run as: cmake -DCTL_DIR=<source>/bus/ctl -P check_ctl_includes.cmake
file(GLOB ctl_files ${CTL_DIR}/*.cpp ${CTL_DIR}/*.hpp)
foreach(f IN LISTS ctl_files)
  file(STRINGS ${f} bad REGEX "#include \"(app|http)/")
  if(bad)
    message(FATAL_ERROR "${f} includes app or HTTP code: ${bad}")
  endif()
endforeach()
